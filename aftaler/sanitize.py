"""Rich text of agreements: the allow-list and the cleaning live in the core (sundhed/sanitize.py), shared
with the meetings' agenda items; this module keeps aftaler's imports working."""

from sundhed.sanitize import ATTRIBUTES, TAGS, URL_SCHEMES, rens_html

__all__ = ["ATTRIBUTES", "TAGS", "URL_SCHEMES", "rens_html"]
