"""CSV cells a spreadsheet will not run as a formula (CSV/formula injection, OWASP).

Excel and LibreOffice treat a cell that starts with `=`, `+`, `-` or `@` as a formula
(`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`, `@SUM(...)`), also after a leading tab or carriage
return. OWASP's advice is to prefix such a cell with a single quote, which makes the spreadsheet
read it as text; the csv module already quotes the cell and doubles embedded quotes.

Every export passes its *text* cells (titles, notes, case numbers, remarks, names) through
`celle`. Numbers the exporter formats itself from a Decimal or an int (e.g. `-1,5`) are left alone,
so a negative value still opens as a number: they cannot carry a formula. The JSON exports keep the
true value; only the CSV cells change.
"""

from __future__ import annotations

FORMELTEGN = ("=", "+", "-", "@", "\t", "\r")


def celle(vaerdi) -> str:
    """`vaerdi` as a text cell: '' for None, prefixed with `'` when it starts like a formula."""
    if vaerdi is None:
        return ""
    tekst = str(vaerdi)
    return "'" + tekst if tekst.startswith(FORMELTEGN) else tekst
