"""Word-level comparison of two versions' text, for the version history (staff and public).

The texts are HTML; we compare their words block by block (headings, paragraphs, list items,
table cells), and mark what was removed with <del> and what was added with <ins>. Screen
readers do not announce ins/del by default, so each change also carries visually hidden
words ("slettet:", "tilføjet:") that a screen reader reads out.
"""

import difflib
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

_BLOKKE = {"h1", "h2", "h3", "h4", "p", "li", "td", "th", "blockquote", "caption", "div", "br", "tr"}


class _Tekstblokke(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blokke: list[str] = []
        self._aktuel: list[str] = []

    def _afslut(self):
        tekst = " ".join("".join(self._aktuel).split())
        if tekst:
            self.blokke.append(tekst)
        self._aktuel = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOKKE:
            self._afslut()

    def handle_endtag(self, tag):
        if tag in _BLOKKE:
            self._afslut()

    def handle_data(self, data):
        self._aktuel.append(data)

    def close(self):
        super().close()
        self._afslut()


def tekstblokke(html_tekst: str) -> list[str]:
    parser = _Tekstblokke()
    parser.feed(html_tekst or "")
    parser.close()
    return parser.blokke


_ORD = re.compile(r"\s+|[^\s]+")


def _tokens(blokke: list[str]) -> list[str]:
    tokens: list[str] = []
    for blok in blokke:
        tokens.extend(_ORD.findall(blok))
        tokens.append("\n")  # a block boundary is a token of its own
    return tokens


@dataclass
class Sammenligning:
    html: str
    tilfoejet: int
    slettet: int

    @property
    def uaendret(self) -> bool:
        return not (self.tilfoejet or self.slettet)


def sammenlign(gammel: str, ny: str) -> Sammenligning:
    """Word-level diff of two HTML texts as safe HTML (only our own <p>, <ins>, <del>, <span>)."""
    a, b = _tokens(tekstblokke(gammel)), _tokens(tekstblokke(ny))
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    maerket: list[tuple[str, str]] = []  # (kind, token) with kind in {"", "del", "ins"}
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            maerket += [("", t) for t in a[i1:i2]]
            continue
        if op in ("delete", "replace"):
            maerket += [("del", t) for t in a[i1:i2]]
        if op in ("insert", "replace"):
            maerket += [("ins", t) for t in b[j1:j2]]
    tilfoejet = sum(1 for k, t in maerket if k == "ins" and t.strip())
    slettet = sum(1 for k, t in maerket if k == "del" and t.strip())

    afsnit: list[str] = []
    linje: list[tuple[str, str]] = []
    for kind, token in maerket + [("", "\n")]:
        if token != "\n":
            linje.append((kind, token))
            continue
        if linje:
            afsnit.append(_afsnit(linje))
        linje = []
    return Sammenligning(html="".join(afsnit), tilfoejet=tilfoejet, slettet=slettet)


_ETIKET = {"del": "slettet: ", "ins": "tilføjet: "}


def _afsnit(linje: list[tuple[str, str]]) -> str:
    """One block as <p>, consecutive tokens of the same kind merged into one <ins> or <del>."""
    dele: list[str] = []
    i = 0
    while i < len(linje):
        kind = linje[i][0]
        j = i
        while j < len(linje) and linje[j][0] == kind:
            j += 1
        tekst = html.escape("".join(t for _, t in linje[i:j]))
        if kind:
            dele.append(f'<{kind}><span class="sr-only">{_ETIKET[kind]}</span>{tekst}</{kind}>')
        else:
            dele.append(tekst)
        i = j
    return "<p>" + "".join(dele) + "</p>"
