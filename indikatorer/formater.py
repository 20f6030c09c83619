"""Numbers as Danish readers write them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def tal(vaerdi, decimaler=1) -> str:
    """1234.56 -> '1.234,6' (Danish separators); '' for nothing."""
    if vaerdi is None or vaerdi == "":
        return ""
    try:
        d = Decimal(str(vaerdi))
        decimaler = int(decimaler)
    except (ArithmeticError, ValueError, TypeError):
        return str(vaerdi)
    d = d.quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)
    tekst = f"{abs(d):,.{decimaler}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return ("-" if d < 0 else "") + tekst


def tal_som_indtastet(vaerdi) -> str:
    """A stored value without the storage's trailing zeros: 81.2000 -> '81,2'."""
    if vaerdi is None or vaerdi == "":
        return ""
    d = Decimal(str(vaerdi)).normalize()
    return tal(d, max(0, -d.as_tuple().exponent))


def csv_tal(vaerdi) -> str:
    """A value for a CSV file Danish Excel reads as a number: decimal comma, no thousands separator."""
    if vaerdi is None:
        return ""
    return format(Decimal(vaerdi).normalize(), "f").replace(".", ",")
