"""Toponyms resolved to places in English Wikinews articles: batches for annotators, a gazetteer lookup for
them, and the labelled corpus the toponym ranker trains on (``wikinews-geo.xml``).

    .venv/bin/python training/toponyms/wikinews_geo.py prepare --wikinews wikinews_2019.csv \
        --wikinews wikinews_2020.csv --articles 60 --batches 6 --out /tmp/fp-geo
    .venv/bin/python training/toponyms/wikinews_geo.py lookup "Portland"
    .venv/bin/python training/toponyms/wikinews_geo.py prepare --wikinews wikinews_2019.csv \
        --wikinews wikinews_2020.csv --articles 1000 --batches 8 --rest-of /tmp/fp-geo --prefix geo2 --out /tmp/fp-geo2
    .venv/bin/python training/toponyms/wikinews_geo.py build --round /tmp/fp-geo /tmp/fp-geo-labels \
        --round /tmp/fp-geo2 /tmp/fp-geo2-labels

The articles are Wikinews news reports of 2019 and 2020 (CC BY 2.5) as scraped to CSV by
github.com/vanatteveldt/wikinews, of any topic (local and world news alike): a first round from those
the event corpus's conflict round did not take, then the rest; the title leads the text and the
dateline is dropped, as in the event corpus. Annotators follow ``GEO-GUIDE.md``: one line per toponym
occurrence, ``DOC<TAB>SENTENCE<TAB>STRING<TAB>OCCURRENCE<TAB>REF[<TAB>NOTE]``, REF a gazetteer id from
``lookup`` or ``LAT,LON`` when the place is not there. ``build`` writes the TR-News layout that ``flashpoint evaluate geoparse`` and
``training/geo/train_ranker.py`` read (text kept: CC BY 2.5) and reports agreement on the doubled
articles: span F1 and, on the spans both marked, the share placed within 161 km of each other.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training" / "corpus"))
sys.path.insert(0, str(HERE))

from build import occurrence_span  # noqa: E402
from prepare import Document, bucket, wikinews, write_batches  # noqa: E402

LICENCE = ("English Wikinews (CC BY 2.5, https://en.wikinews.org; the article's url is its id after 'wn-'), "
           "as scraped by github.com/vanatteveldt/wikinews (CC BY 2.5): text kept, dateline dropped. "
           "Toponyms resolved by flashpoint's annotators (training/toponyms/GEO-GUIDE.md); coordinates from "
           "GeoNames (CC BY 4.0) through flashpoint's gazetteer, or the annotator's where GeoNames lacks the place.")
OUT = HERE / "wikinews-geo.xml"
_COORDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


def articles(paths: list[Path], n: int, exclude: frozenset[str]) -> list[Document]:
    """``n`` Wikinews reports of any topic, not in ``exclude``, in a fixed hash order of their ids."""
    docs = [d for d in wikinews(paths, cues=False) if d.doc not in exclude]
    docs.sort(key=lambda d: hashlib.md5(("geo" + d.doc).encode()).hexdigest())
    return docs[:n]


def documents(batches: Path) -> dict[str, dict]:
    """A batch folder's articles by id: text, publication date and sentence offsets."""
    lines = (batches / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return {d["doc"]: d for d in map(json.loads, lines)}


def prepare(args: argparse.Namespace) -> None:
    from flashpoint.nlp.model import SpacyModel

    if args.rest_of:  # a later round: every report an earlier round did not take, event corpus included
        taken = frozenset(doc for d in args.rest_of for doc in documents(d))
        docs = articles(args.wikinews, args.articles, taken)
    else:  # the first round: reports the event corpus's conflict round did not take
        conflict = frozenset(d.doc for d in wikinews(args.wikinews))
        docs = articles(args.wikinews, args.articles, conflict)
    model = SpacyModel(ner_everywhere=False)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    with open(args.out / "documents.jsonl", "w", encoding="utf-8") as out:
        for d, analysis in zip(docs, model.analyse([d.text for d in docs], parse_filter=lambda s: False),
                               strict=True):
            row = {"source": d.source, "doc": d.doc, "published": d.published, "bucket": bucket(d.doc),
                   "sentences": [[s.start, s.end] for s in analysis.sentences], "text": d.text}
            rows.append(row)
            out.write(json.dumps(row) + "\n")
    write_batches(rows, args.out, {"wikinews": args.batches}, args.prefix)
    print(f"{len(rows)} articles in {args.batches} batches under {args.out}")


def lookup(args: argparse.Namespace) -> None:
    from flashpoint.geo.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    for name in args.names:
        places = sorted(gaz.lookup(name) or gaz.lookup(name, loose=True),
                        key=lambda p: -(p.population or 0))
        print(f"# {name}: {len(places)} candidate(s)" + ("" if places else " (give LAT,LON)"))
        for p in places[: args.top]:
            where = ", ".join(x for x in (p.admin2, p.admin1, p.country) if x)
            print(f"{p.geonameid or '-'}\t{p.name}\t{p.feature_class}.{p.feature_code}\t{where}\t"
                  f"pop {p.population or 0}\t{p.latitude:.4f},{p.longitude:.4f}")


def read_labels(path: Path, docs: dict[str, dict], gaz: object) -> Iterator[tuple[str, int, int, str, float, float,
                                                                               int | None]]:
    """Each label line as (doc, start, end, string, lat, lon, geonameid); SystemExit naming a bad line."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 5:
            raise SystemExit(f"{path}:{n}: expected DOC, SENTENCE, STRING, OCCURRENCE, REF")
        doc, index, string, occurrence, ref = parts[:5]
        if doc not in docs:
            raise SystemExit(f"{path}:{n}: unknown document {doc!r}")
        text = docs[doc]["text"]
        a, b = docs[doc]["sentences"][int(index)]
        found = occurrence_span(text, a, b, string, int(occurrence))
        if isinstance(found, int):
            raise SystemExit(f"{path}:{n}: {string!r} occurs {found} time(s) in sentence {index} of {doc}")
        start, end = found
        coords = _COORDS.match(ref)
        if coords:
            lat, lon, gid = float(coords.group(1)), float(coords.group(2)), None
        else:
            place = gaz.get(int(ref)) if ref.strip().isdigit() else None  # type: ignore[attr-defined]
            if place is None:
                raise SystemExit(f"{path}:{n}: {ref!r} is neither a gazetteer id nor LAT,LON")
            lat, lon, gid = place.latitude, place.longitude, place.geonameid
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SystemExit(f"{path}:{n}: coordinates {lat},{lon} out of range")
        yield doc, start, end, text[start:end], lat, lon, gid


def agreement(first: dict[str, dict[tuple[int, int], tuple[float, float]]],
              second: dict[str, dict[tuple[int, int], tuple[float, float]]]) -> dict[str, float | int]:
    """Span F1 (exact offsets) over the doubled articles, and on the spans both marked the share placed
    within 161 km of each other."""
    from flashpoint.evaluation.geoparse import HIT_KM, haversine_km

    docs = [d for d in second if d in first]
    a = {(d, s) for d in docs for s in first[d]}
    b = {(d, s) for d in docs for s in second[d]}
    both = a & b
    near = sum(haversine_km(*first[d][s], *second[d][s]) <= HIT_KM for d, s in both)
    return {"articles": len(docs), "first": len(a), "second": len(b), "both": len(both),
            "span_f1": round(2 * len(both) / max(1, len(a) + len(b)), 3),
            "same_place_where_both": round(near / max(1, len(both)), 3)}


def check(args: argparse.Namespace) -> None:
    """Read one label file against the batches: the first bad line stops with its number and why."""
    from flashpoint.geo.gazetteer import load_gazetteer

    rows = list(read_labels(args.file, documents(args.batches), load_gazetteer()))
    print(f"{args.file}: {len(rows)} toponyms in {len({r[0] for r in rows})} articles, all lines read")


def build(args: argparse.Namespace) -> None:
    from flashpoint.geo.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    docs: dict[str, dict] = {}
    main: dict[str, dict[tuple[int, int], tuple[float, float, int | None, str]]] = {}
    second: dict[str, dict[tuple[int, int], tuple[float, float]]] = {}
    for batches, labels in args.round:
        round_docs = documents(batches)
        docs.update(round_docs)
        for index in sorted(batches.glob("*.index.jsonl")):
            name = index.name.removesuffix(".index.jsonl")
            twice = {r["doc"] for r in map(json.loads, index.read_text(encoding="utf-8").splitlines()) if r["double"]}
            path = labels / f"{name}.tsv"
            if not path.exists():
                raise SystemExit(f"{path}: missing label file for batch {name}")
            for doc, start, end, string, lat, lon, gid in read_labels(path, round_docs, gaz):
                if doc in twice:
                    second.setdefault(doc, {})[(start, end)] = (lat, lon)
                else:
                    main.setdefault(doc, {})[(start, end)] = (lat, lon, gid, string)
    root = ET.Element("articles", {"source": "wikinews", "licence": LICENCE})
    for doc, d in docs.items():  # every article was read; one without a place name has no toponym lines
        art = ET.SubElement(root, "article", {"docid": doc, "published": d["published"] or ""})
        ET.SubElement(art, "text").text = d["text"]
        tops = ET.SubElement(art, "toponyms")
        for (start, end), (lat, lon, gid, string) in sorted(main.get(doc, {}).items()):
            t = ET.SubElement(tops, "toponym")
            ET.SubElement(t, "start").text = str(start)
            ET.SubElement(t, "end").text = str(end)
            ET.SubElement(t, "phrase").text = string
            gaztag = ET.SubElement(t, "gaztag", {"geonameid": str(gid)} if gid is not None else {})
            ET.SubElement(gaztag, "lat").text = f"{lat:.5f}"
            ET.SubElement(gaztag, "lon").text = f"{lon:.5f}"
    ET.indent(root)
    ET.ElementTree(root).write(args.out, encoding="utf-8", xml_declaration=True)
    n = sum(len(v) for v in main.values())
    print(f"wrote {args.out}: {len(docs)} articles, {n} toponyms "
          f"({sum(g is None for v in main.values() for _, _, g, _ in v.values())} outside the gazetteer)")
    print(json.dumps(agreement({k: {s: v[:2] for s, v in m.items()} for k, m in main.items()}, second)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare", help="choose the articles and write annotation batches")
    p.add_argument("--wikinews", type=Path, action="append", required=True)
    p.add_argument("--articles", type=int, default=60)
    p.add_argument("--batches", type=int, default=6)
    p.add_argument("--rest-of", type=Path, action="append", default=[],
                   help="a later round: the articles these earlier rounds' batch folders did not take")
    p.add_argument("--prefix", default="geo", help="batch names: PREFIX-1, PREFIX-2 ...")
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("lookup", help="a name's gazetteer candidates, most populous first")
    p.add_argument("names", nargs="+")
    p.add_argument("--top", type=int, default=15)
    p = sub.add_parser("check", help="read one label file against the batches")
    p.add_argument("--batches", type=Path, required=True)
    p.add_argument("file", type=Path)
    p = sub.add_parser("build", help="label files to wikinews-geo.xml, with agreement")
    p.add_argument("--round", type=Path, nargs=2, action="append", required=True, metavar=("BATCHES", "LABELS"),
                   help="a round's batch folder and its label folder (one NAME.tsv per batch NAME); repeatable")
    p.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    {"prepare": prepare, "lookup": lookup, "check": check, "build": build}[args.command](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
