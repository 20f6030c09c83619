"""The chart: readable without colour, and its colours meet WCAG 1.4.11 (3:1 against white)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from indikatorer import grafer


def _kontrast(farve: str) -> float:
    def kanal(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(farve[i:i + 2], 16) for i in (1, 3, 5))
    lys = 0.2126 * kanal(r) + 0.7152 * kanal(g) + 0.0722 * kanal(b)
    return 1.05 / (lys + 0.05)


@pytest.mark.parametrize("farve", [s[0] for s in grafer.STILE] + [grafer.FREMHAEVET[0]])
def test_every_line_colour_has_at_least_3_to_1_contrast_against_white(farve):
    assert _kontrast(farve) >= 3.0


def test_series_differ_by_marker_and_dash_as_well_as_colour():
    assert len({(s[1], s[2]) for s in grafer.STILE[:6]}) == 6


def _serie(navn, vaerdier, stil=0):
    return SimpleNamespace(geografi=SimpleNamespace(navn=navn), stil=stil, fremhaevet=False,
                           vaerdier={p: SimpleNamespace(vaerdi=Decimal(v), periode=p) for p, v in vaerdier.items()})


def test_the_chart_has_a_text_description_and_breaks_lines_at_gaps():
    graf = grafer.linjegraf(titel="Middellevetid", enhed="år", decimaler=1, perioder=["2024H1", "2024H2", "2025H1"],
                            serier=[_serie("Region", {"2024H1": "80.1", "2025H1": "81.25"}),
                                    _serie("Klynge", {"2024H1": "79", "2024H2": "79.5", "2025H1": "80"}, 1)])
    assert graf.beskrivelse.startswith("Linjediagram over middellevetid (år) fra 1. halvår 2024 til 1. halvår 2025.")
    assert "Region: 80,1 i 1. halvår 2024 og 81,3 i 1. halvår 2025." in graf.beskrivelse
    assert [etiket for _x, etiket in graf.xakse] == ["1. halvår 2024", "2. halvår 2024", "1. halvår 2025"]
    assert len(graf.serier[0].segmenter) == 2 and len(graf.serier[1].segmenter) == 1
    assert [p.vaerdi for p in graf.serier[1].punkter] == ["79,0", "79,5", "80,0"]
    assert graf.yakse[0][1] and all("," in e or e.isdigit() for _y, e in graf.yakse)


def test_no_data_no_chart():
    assert grafer.linjegraf(titel="X", enhed="%", decimaler=1, perioder=[], serier=[]) is None
