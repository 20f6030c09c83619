"""The municipality map on an agreement's public page and in its PDF: each of the 19 municipalities
as a tile, in the state of its decision, laid out roughly as they lie."""

from __future__ import annotations

# The 19 municipalities as a tile grid, roughly as they lie: (column, row), north-west at top left.
KORT_PLACERING: dict[str, tuple[int, int]] = {
    "lemvig": (0, 0), "struer": (1, 0), "skive": (2, 0), "viborg": (3, 0), "randers": (4, 0),
    "norddjurs": (5, 0),
    "holstebro": (1, 1), "herning": (2, 1), "silkeborg": (3, 1), "favrskov": (4, 1), "syddjurs": (5, 1),
    "ringkoebing-skjern": (1, 2), "ikast-brande": (2, 2), "skanderborg": (3, 2), "aarhus": (4, 2),
    "hedensted": (2, 3), "horsens": (3, 3), "odder": (4, 3), "samsoe": (5, 3),
}
KORT_KOLONNER = 6
FLISE_BREDDE, FLISE_HOEJDE, FLISE_AFSTAND = 104, 64, 6

# State -> (letter on the tile, label, fill, border, pattern id or ''). The letter and the pattern
# carry the decision too, so it is never told by colour alone; the legend explains both.
KORT_TILSTANDE: dict[str, tuple[str, str, str, str, str]] = {
    "godkendt": ("G", "Godkendt", "#d3ecca", "#2e6b1f", ""),
    "afvist": ("A", "Afvist", "#f7d4d4", "#a4161a", "moenster-afvist"),
    "udsat": ("U", "Udsat", "#fdebb3", "#7a5200", "moenster-udsat"),
    "afventer": ("?", "Afventer beslutning", "#ffffff", "#595959", ""),
    "ikke_part": ("–", "Ikke part i aftalen", "#ececec", "#767676", ""),
}


def _linjer(navn: str) -> list[str]:
    """The name on one line, or split at the hyphen when it is too long for the tile."""
    if len(navn) > 11 and "-" in navn:
        foer, _, efter = navn.partition("-")
        return [foer + "-", efter]
    return [navn]


def kommunekort(fremdrift, kommuner) -> dict:
    """Tiles for every municipality, in the state of its decision on the version in `fremdrift`
    (municipalities that are not a party to a local agreement: 'ikke_part'). Each tile carries its
    words, colours and positions ready to print (the map is 19 tiles on every agreement page)."""
    pr_part = {ps.part.pk: ps for ps in fremdrift.parter}
    kommuner = sorted(kommuner, key=lambda k: k.navn)
    # Municipalities the layout does not know (e.g. test data) go in rows below the grid.
    kendte_raekker = [KORT_PLACERING[k.slug][1] for k in kommuner if k.slug in KORT_PLACERING]
    foerste_ukendte_raekke = max(kendte_raekker) + 1 if kendte_raekker else 0
    ukendte = 0
    fliser = []
    for kommune in kommuner:
        ps = pr_part.get(kommune.pk)
        tilstand = "ikke_part" if ps is None else (ps.beslutning or "afventer")
        if kommune.slug in KORT_PLACERING:
            kol, raekke = KORT_PLACERING[kommune.slug]
        else:
            kol, raekke = ukendte % KORT_KOLONNER, foerste_ukendte_raekke + ukendte // KORT_KOLONNER
            ukendte += 1
        bogstav, etiket, fyld, kant, moenster = KORT_TILSTANDE[tilstand]
        navn = kommune.visningsnavn
        foerste, *anden = _linjer(navn)
        # Numbers as text: a template prints a number through the locale's number formatting.
        fliser.append({
            "tilstand": tilstand, "raekke": raekke, "x": str(kol * (FLISE_BREDDE + FLISE_AFSTAND)),
            "y": str(raekke * (FLISE_HOEJDE + FLISE_AFSTAND)), "titel": f"{navn}: {etiket}", "bogstav": bogstav,
            "fyld": f"url(#{moenster})" if moenster else fyld, "kant": kant, "stiplet": tilstand == "ikke_part",
            "linje": foerste, "linje2": anden[0] if anden else None,
        })
    raekker = 1 + max((f["raekke"] for f in fliser), default=0)
    antal = {t: sum(1 for f in fliser if f["tilstand"] == t) for t in KORT_TILSTANDE}
    return {
        "fliser": fliser,
        "bredde": str(KORT_KOLONNER * (FLISE_BREDDE + FLISE_AFSTAND) - FLISE_AFSTAND),
        "hoejde": str(raekker * (FLISE_HOEJDE + FLISE_AFSTAND) - FLISE_AFSTAND),
        "flise_bredde": str(FLISE_BREDDE),
        "flise_hoejde": str(FLISE_HOEJDE),
        "bogstav_x": str(FLISE_BREDDE - 8),  # the letter sits in the tile's lower right corner
        "bogstav_y": str(FLISE_HOEJDE - 9),
        "forklaring": [
            {"tilstand": t, "bogstav": v[0], "etiket": v[1], "fyld": v[2], "kant": v[3], "moenster": v[4],
             "antal": antal[t]}
            for t, v in KORT_TILSTANDE.items()
        ],
        "antal": antal,
    }
