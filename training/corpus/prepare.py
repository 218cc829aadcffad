"""Split the corpus's source articles into numbered sentences, in batches for annotators.

    .venv/bin/python training/corpus/prepare.py --shared ../shared --out /tmp/fp-batches
    .venv/bin/python training/corpus/prepare.py --round els2 --els 400 --focus REGEX --out /tmp/fp-els2

Sentences come from the coder's own splitter (:class:`flashpoint.nlp.model.SpacyModel`), so a label
attaches to the sentence the coder will see. Writes, per batch, ``NAME.txt`` (what an annotator reads:
each document with its sentences numbered) and ``NAME.index.jsonl`` (document id, source, published
date and sentence offsets), and ``documents.jsonl`` with every document's sentence offsets. Batches
are written outside the repository: they hold text that may not be redistributed.

Sources: the Guardian dev articles and the GeoWebNews dev articles from ``../shared/eval``, a sample
of the event-location sentences (MIT) from ``../shared/train``, and English Wikinews articles (CC BY 2.5)
as scraped to CSV by github.com/vanatteveldt/wikinews (``--wikinews``: a round of its own, ``wn``)::

    .venv/bin/python training/corpus/prepare.py --round wn --wikinews wikinews_2019.csv \
        --wikinews wikinews_2020.csv --round-batches 6 --out /tmp/fp-wn
    .venv/bin/python training/corpus/prepare.py --round wn2 --any-topic --wikinews wikinews_2019.csv \
        --wikinews wikinews_2020.csv --round-batches 7 --out /tmp/fp-wn2   # the other reports
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flashpoint.nlp.model import SpacyModel


@dataclass(frozen=True)
class Document:
    source: str
    doc: str
    text: str
    published: str | None


def bucket(doc: str) -> int:
    """A stable number in 0-99 from a document id: the split rule of this corpus."""
    return int(hashlib.md5(doc.encode()).hexdigest(), 16) % 100


def guardian(shared: Path) -> Iterator[Document]:
    with open(shared / "eval" / "guardian-syria-dev.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            yield Document("guardian", d["id"], d["text"], d.get("published"))


def geowebnews(shared: Path) -> Iterator[Document]:
    root = ET.parse(shared / "eval" / "geowebnews-dev.xml").getroot()
    for n, article in enumerate(root.iter("article")):
        text = article.findtext("text") or ""
        doc = f"gwn-{article.get('file', n)}"
        yield Document("geowebnews", doc, text, None)


def _els_id(item: dict, i: int) -> str:
    """An event-location sentence's document id (some source ids carry a trailing space)."""
    return f"els-{str(item.get('_id', i)).strip()}"


def event_location_sentences(shared: Path, k: int, seed: int = 13, exclude: frozenset[str] = frozenset(),
                             focus: str | None = None) -> Iterator[Document]:
    """``k`` sentences drawn at random; with ``exclude`` (document ids) only from the others, and with
    ``focus`` (a regex) half of them from the sentences it matches (a later round's sampling)."""
    with zipfile.ZipFile(shared / "train" / "event-location-sentences.jsonl.zip") as z:
        items = json.loads(z.read("labeled_text.jsonl"))
    rng = random.Random(seed)
    pool = [i for i in range(len(items)) if _els_id(items[i], i) not in exclude]
    if focus is None:
        picked = rng.sample(pool, k)
    else:
        hit = re.compile(focus, re.IGNORECASE)
        focused = [i for i in pool if hit.search(items[i]["text"])]
        picked = rng.sample(focused, k // 2)
        taken = set(picked)
        picked += rng.sample([i for i in pool if i not in taken], k - len(picked))
    seen: dict[str, int] = {}
    for i in sorted(picked):
        text = " ".join(items[i]["text"].split())
        doc = _els_id(items[i], i)
        n = seen[doc] = seen.get(doc, -1) + 1  # some items share an _id ("wiki"): the k-th is ID#k
        yield Document("els", doc if n == 0 else f"{doc}#{n}", text, items[i].get("date"))


WIKINEWS_CUES = re.compile(
    r"\b(attack\w*|kill\w*|bomb\w*|protest\w*|clash\w*|militant\w*|troops|air ?strikes?|"
    r"riot\w*|rebels?|insurgent\w*|soldiers?|gunm[ae]n|explosion|shelling|army|tear gas|war|police|military|"
    r"arrest\w*|shot|missile\w*|terror\w*)\b", re.IGNORECASE)
"""Words that make a Wikinews article worth labelling: conflict news and the violent news (crime,
accidents, disasters) an event coder must learn to leave out. Selection only, never a label."""
WIKINEWS_MAX_CHARS = 6000
"""Longer Wikinews pages are interviews and monthly campaign diaries, not news reports."""
_DATELINE = re.compile(r"^\s*(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \w+ \d{1,2}, \d{4}\s*")


_NAMESPACE = re.compile(r"wn-[^:]*:[^_]")
"""A Wikinews page outside the main namespace ("TEST_PAGE:x"); a title's own colon is followed by "_"."""


def is_conflict_report(text: str) -> bool:
    """At least two conflict or violence words (:data:`WIKINEWS_CUES`): the first Wikinews round's choice."""
    return len(WIKINEWS_CUES.findall(text)) >= 2


def wikinews(paths: list[Path], cues: bool = True) -> Iterator[Document]:
    """Wikinews news reports (url, date, title, text) of the main namespace, under
    :data:`WIKINEWS_MAX_CHARS`, and :func:`is_conflict_report` unless ``cues`` is False; the title leads
    the text, the dateline (the date, kept as ``published``) is dropped."""
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                body = _DATELINE.sub("", row["text"]).strip()
                text = f"{row['title'].strip()}\n\n{body}"
                doc = "wn-" + row["url"].rstrip("/").rsplit("/", 1)[-1]
                if len(body) > WIKINEWS_MAX_CHARS or (cues and not is_conflict_report(text)) or _NAMESPACE.match(doc):
                    continue
                yield Document("wikinews", doc, text, row["date"])


BATCHES = {"guardian": 5, "geowebnews": 2, "els": 1}
"""Annotation batches per source (of the first round); each batch also holds about a tenth of the next
batch's sentences (of the same source, or of the next source for a single batch), labelled again blind
for agreement."""


def labelled_docs(paths: list[Path]) -> frozenset[str]:
    """The document ids (without a ``#k`` suffix) of corpus files: what a later round must not draw again."""
    out: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            out.add(json.loads(line)["doc"].split("#")[0])
    return frozenset(out)


def batches(rows: list[dict], plan: dict[str, int] = BATCHES, prefix: str = "") -> dict[str, list[dict]]:
    """Documents per batch name (``guardian-1`` ...), with the doubled ones added to a second batch."""
    out: dict[str, list[dict]] = {}
    names: list[str] = []
    for source, k in plan.items():
        docs = sorted((r for r in rows if r["source"] == source), key=lambda r: (r["bucket"], r["doc"]))
        source = prefix or source
        total = sum(len(r["sentences"]) for r in docs)
        part, size, i = [], 0, 1
        for r in docs:
            part.append(r)
            size += len(r["sentences"])
            if size >= total / k * i and i < k:
                out[f"{source}-{i}"], part, i = part, [], i + 1
                names.append(f"{source}-{i - 1}")
        out[f"{source}-{i}"] = part
        names.append(f"{source}-{i}")
    own = {name: list(docs) for name, docs in out.items()}  # doubles come from a batch's own documents
    for n, name in enumerate(names):
        other = names[(n + 1) % len(names)]
        target = sum(len(r["sentences"]) for r in own[other]) / 10
        extra, size = [], 0
        for r in sorted(own[other], key=lambda r: hashlib.md5(("double" + r["doc"]).encode()).hexdigest()):
            if size >= target:
                break
            extra.append(dict(r, double=True))
            size += len(r["sentences"])
        out[name] = sorted(out[name] + extra, key=lambda r: hashlib.md5(r["doc"].encode()).hexdigest())
    return out


def write_batches(rows: list[dict], out: Path, plan: dict[str, int] = BATCHES, prefix: str = "") -> None:
    for name, docs in batches(rows, plan, prefix).items():
        with open(out / f"{name}.txt", "w", encoding="utf-8") as f:
            for r in docs:
                f.write(f"=== DOC {r['doc']} | published {r['published'] or 'unknown'} | source {r['source']}\n")
                for i, (a, b) in enumerate(r["sentences"]):
                    f.write(f"[{i}] {' '.join(r['text'][a:b].split())}\n")
                f.write("\n")
        with open(out / f"{name}.index.jsonl", "w", encoding="utf-8") as f:
            for r in docs:
                f.write(json.dumps({"doc": r["doc"], "double": r.get("double", False)}) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--els", type=int, default=1600, help="event-location sentences to sample")
    ap.add_argument("--round", help="a later round of event-location sentences only: the batches' name prefix "
                    "(els2 ...), drawn from the sentences no corpus file under training/corpus holds")
    ap.add_argument("--round-batches", type=int, default=2, help="batches of a later round")
    ap.add_argument("--focus", help="a later round: draw half its sentences from those this regex matches")
    ap.add_argument("--wikinews", type=Path, action="append", default=[],
                    help="a later round of Wikinews articles from these CSV files (url,date,title,text)")
    ap.add_argument("--any-topic", action="store_true",
                    help="with --wikinews: every report, not only those with conflict or violence words")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    exclude = labelled_docs(sorted(Path(__file__).resolve().parent.glob("*.jsonl")))  # what a later round skips
    if args.wikinews:
        docs = [d for d in wikinews(args.wikinews, cues=not args.any_topic) if d.doc not in exclude]
        plan, prefix = {"wikinews": args.round_batches}, args.round or "wn"
    elif args.round:
        docs = list(event_location_sentences(args.shared, args.els, args.seed, exclude, args.focus))
        plan, prefix = {"els": args.round_batches}, args.round
    else:
        docs = [*guardian(args.shared), *geowebnews(args.shared),
                *event_location_sentences(args.shared, args.els, args.seed)]
        plan, prefix = BATCHES, ""
    model = SpacyModel(ner_everywhere=False)
    args.out.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    with open(args.out / "documents.jsonl", "w", encoding="utf-8") as out:
        for d, analysis in zip(docs, model.analyse([d.text for d in docs], parse_filter=lambda s: False), strict=True):
            spans = [[s.start, s.end] for s in analysis.sentences]
            if d.source == "els":
                spans = [[0, len(d.text)]]  # one labelled sentence: kept whole
            row = {"source": d.source, "doc": d.doc, "published": d.published,
                   "bucket": bucket(d.doc), "sentences": spans, "text": d.text}
            rows.append(row)
            out.write(json.dumps(row) + "\n")
    write_batches(rows, args.out, plan, prefix)


if __name__ == "__main__":
    main()
