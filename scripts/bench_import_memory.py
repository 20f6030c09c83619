"""Peak memory and time of checking import files (issue 8 item 7): hostile files and the largest legal ones.

    .venv/bin/python scripts/bench_import_memory.py            # every case, each in its own process
    .venv/bin/python scripts/bench_import_memory.py --tracemalloc   # also Python's own peak (much slower)

Each case runs `indikatorer.importer.kontroller` in a fresh process and reports the time, the growth of the
process's peak resident memory (ru_maxrss) while checking, and the outcome. No database is needed: the
indicators and geographies are made up.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile

ROD = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PAKKE = "http://schemas.openxmlformats.org/package/2006/relationships"
MB = 1024 * 1024


def _regneark_dele() -> dict[str, str]:
    return {
        "_rels/.rels": f'<Relationships xmlns="{PAKKE}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets><sheet name="Ark1" sheetId="1" '
                           'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PAKKE}"><Relationship Id="rId1" '
                                      f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
                                      f'Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                                      '</Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{NS}"><sheetData/></worksheet>',
    }


def _bombe(start: bytes, blok: bytes, gange: int, slut: bytes) -> bytes:
    ud = io.BytesIO()
    with zipfile.ZipFile(ud, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for navn, indhold in _regneark_dele().items():
            z.writestr(navn, indhold)
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(start)
            for _ in range(gange):
                f.write(blok)
            f.write(slut)
    return ud.getvalue()


def _gyldige_raekker(n: int):
    i = 0
    for kode in range(10):
        for geo in range(1000):
            for aar in range(2000, 2026):
                for halvaar in (1, 2):
                    if i >= n:
                        return
                    yield f"k{kode}", f"g{geo}", f"{aar}H{halvaar}", i
                    i += 1


def lav(tilfaelde: str) -> tuple[str, bytes]:
    if tilfaelde == "delte-tekster":
        return "bombe.xlsx", _bombe(f'<sst xmlns="{NS}">'.encode(), b"<si><t>x</t></si>" * 50_000, 400, b"</sst>")
    if tilfaelde == "en-stor-tekst":
        return "bombe.xlsx", _bombe(f'<sst xmlns="{NS}"><si><t>'.encode(), b"a" * MB, 400, b"</t></si></sst>")
    if tilfaelde == "million-csv":
        return "stor.csv", b"kode;geografi;periode;vaerdi\r\n" + b"x;y;2024H1;1\r\n" * 1_000_000
    if tilfaelde == "gyldig-csv":
        linjer = ["kode;geografi;periode;vaerdi;taeller;naevner"]
        linjer += [f"{k};{g};{p};{i % 100},5;{i % 977 + 1};8.761" for k, g, p, i in _gyldige_raekker(200_000)]
        return "gyldig.csv", ("\ufeff" + "\r\n".join(linjer) + "\r\n").encode()
    if tilfaelde == "gyldig-xlsx":
        from openpyxl import Workbook

        bog = Workbook(write_only=True)
        ark = bog.create_sheet()
        ark.append(["kode", "geografi", "periode", "vaerdi", "taeller", "naevner"])
        for k, g, p, i in _gyldige_raekker(200_000):
            ark.append([k, g, p, (i % 1000) / 10, i % 977 + 1, 8761])
        ud = io.BytesIO()
        bog.save(ud)
        return "gyldig.xlsx", ud.getvalue()
    raise SystemExit(f"ukendt tilfælde {tilfaelde}")


TILFAELDE = ["delte-tekster", "en-stor-tekst", "million-csv", "gyldig-csv", "gyldig-xlsx"]


def koer_et(tilfaelde: str, spor: bool) -> dict:
    """In this process: make the file, then check it."""
    import datetime
    import tracemalloc

    sys.path.insert(0, ROD)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sundhed.settings")
    import django

    django.setup()
    from indikatorer import importer

    opslag = importer.Opslag(
        {f"k{i}": importer.IndikatorInfo(i, f"k{i}", "halvaar", False) for i in range(10)},
        {f"g{i}": importer.Geografi(f"g{i}", f"G{i}", "kommune", part_id=i) for i in range(1000)},
        {}, datetime.date(2026, 11, 29),
    )
    navn, data = lav(tilfaelde)
    foer = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if spor:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        resultat = importer.kontroller(navn, data, opslag)
        udfald = f"læst: {len(resultat.raekker)} rækker, {resultat.antal_fejl} fejl"
    except importer.FilFejl as exc:
        udfald = f"afvist: {exc.message}"
    tid = time.perf_counter() - start
    spids = tracemalloc.get_traced_memory()[1] if spor else None
    efter = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"tilfaelde": tilfaelde, "fil_kb": len(data) // 1024, "sekunder": round(tid, 2),
            "rss_vaekst_mb": round((efter - foer) / 1024, 1), "rss_mb": round(efter / 1024, 1),
            "tracemalloc_mb": round(spids / MB, 1) if spids is not None else None, "udfald": udfald[:110]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tilfaelde", nargs="*", default=TILFAELDE, help=", ".join(TILFAELDE))
    parser.add_argument("--tracemalloc", action="store_true", help="also measure with tracemalloc (slow)")
    parser.add_argument("--et", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.et:
        print(json.dumps(koer_et(args.tilfaelde[0], args.tracemalloc)))
        return
    for tilfaelde in args.tilfaelde:
        kommando = [sys.executable, __file__, tilfaelde, "--et"] + (["--tracemalloc"] if args.tracemalloc else [])
        ud = subprocess.run(kommando, capture_output=True, text=True, cwd=ROD, check=True).stdout
        print(json.dumps(json.loads(ud.strip().splitlines()[-1]), ensure_ascii=False))


if __name__ == "__main__":
    main()
