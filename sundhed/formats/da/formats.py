"""The portal's Danish formats (settings.FORMAT_MODULE_PATH): only what differs from Django's own
(django/conf/locale/da/formats.py), which supplies everything not named here.

Dates stay Django's: DATE_FORMAT "j. F Y" ("29. november 2026") in running text and headings,
SHORT_DATE_FORMAT "d.m.Y" ("29.11.2026") in dense tables. The clock is written as Danish texts write
it, "kl. 14.30" (Dansk Sprognævn), not Django's "14:30".
"""

TIME_FORMAT = "H.i"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
SHORT_DATETIME_FORMAT = "d.m.Y H.i"
