"""Small text helpers shared by the apps."""

from django.utils.text import slugify

_DANSK = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "é": "e", "ü": "ue"})


def dansk_slug(value: str) -> str:
    """Slug that transliterates æ/ø/å instead of dropping them (Samsø -> samsoe)."""
    return slugify(value.translate(_DANSK))


def en_linje(tekst: str | None) -> str:
    """Text for one line (a title, a mail subject): every run of whitespace, line breaks included,
    becomes one space."""
    return " ".join((tekst or "").split())
