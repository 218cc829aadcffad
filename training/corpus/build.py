"""Turn annotators' label files into the corpus kept in the repository, and report agreement.

    .venv/bin/python training/corpus/build.py --batches /tmp/fp-batches --labels /work/labels
    .venv/bin/python training/corpus/build.py --batches /tmp/fp-wn --labels /tmp/wn-labels --merge

Writes ``training/corpus/labels.jsonl`` (one document a line: its source, id, licence, and per sentence
its offsets, label, reason, event id and argument spans as offsets) and ``training/corpus/double.jsonl``
(the second, blind annotation of the doubled documents). Texts that may not be redistributed (the
Guardian and GeoWebNews files of ``../shared/eval``) are kept as offsets only; the event-location
sentences (MIT) and the Wikinews articles (CC BY 2.5) keep their text. With ``--merge`` (a later round)
the documents already in the two files stay, and this round's are added (or replace a document of the
same id). Prints Cohen's kappa on event/no-event and on the sub-event type over the doubled sentences:
this run's, and with ``--merge`` the whole corpus's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labels import Line, read_labels

HERE = Path(__file__).resolve().parent
LICENCES = {
    "guardian": "Guardian articles (../shared/eval/guardian-syria-dev.jsonl): not redistributed, offsets only",
    "geowebnews": "GeoWebNews (Gritta et al. 2019, GPL-3.0; ../shared/eval/geowebnews-dev.xml): offsets only",
    "els": "event-location sentences (Halterman 2019, MIT; ../shared/train): text kept",
    "wikinews": "English Wikinews (CC BY 2.5, https://en.wikinews.org; the article's url is its id after "
                "'wn-'), as scraped by github.com/vanatteveldt/wikinews (CC BY 2.5): text kept, dateline dropped",
}
TEXT_KEPT = frozenset({"els", "wikinews"})
"""Sources whose licence lets the corpus keep their text."""


def spans(text: str, sentences: list[list[int]], line: Line) -> dict[str, list[int]]:
    """Each field's value as offsets: in the line's sentence first, then the nearest sentence that has it."""
    out: dict[str, list[int]] = {}
    order = sorted(range(len(sentences)), key=lambda j: abs(j - line.index))
    for key, value in line.fields.items():
        if key == "type":
            continue
        for j in order:
            a, b = sentences[j]
            k = text.find(value, a, b)
            if k < 0:  # annotators saw sentences with whitespace collapsed
                flat = " ".join(text[a:b].split())
                if value in flat:
                    k = _unflatten(text, a, b, flat.index(value))
            if k >= 0:
                out[key] = [k, k + _span_len(text, k, value)]
                break
    return out


def _unflatten(text: str, a: int, b: int, pos: int) -> int:
    seen = -1
    prev_space = True
    for i in range(a, b):
        if text[i].isspace():
            if not prev_space:
                seen += 1
            prev_space = True
        else:
            seen += 1
            prev_space = False
        if seen == pos:
            return i
    return -1


def _span_len(text: str, k: int, value: str) -> int:
    """Characters of ``text`` from ``k`` that hold ``value``'s non-space characters."""
    need = sum(not c.isspace() for c in value)
    i, got = k, 0
    while i < len(text) and got < need:
        got += not text[i].isspace()
        i += 1
    return i - k


def doc_record(row: dict, batch: str, lines: list[Line]) -> dict:
    sentences = row["sentences"]
    per: dict[int, list[dict]] = {}
    for ln in lines:
        rec = {"label": ln.label, "reason": ln.reason}
        if ln.event:
            rec["event"] = ln.event
        if "type" in ln.fields:
            rec["type"] = ln.fields["type"]
        found = spans(row["text"], sentences, ln)
        if found:
            rec["args"] = found
        per.setdefault(ln.index, []).append(rec)
    out = {"source": row["source"], "doc": row["doc"], "published": row["published"], "annotator": batch,
           "licence": LICENCES[row["source"]],
           "sentences": [{"i": i, "span": sentences[i], "labels": per.get(i, [])} for i in range(len(sentences))]}
    if row["source"] in TEXT_KEPT:
        out["text"] = row["text"]
    return out


def read_rows(path: Path) -> dict[str, dict]:
    """Documents by id. Some event-location sentences share an id (``els-wiki``); the batches showed them
    as one document, sentence k being the id's k-th occurrence: they become ``ID#k`` (k >= 1), one each."""
    rows: dict[str, dict] = {}
    seen: Counter[str] = Counter()
    for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        k = seen[r["doc"]]
        seen[r["doc"]] += 1
        rows[r["doc"] if k == 0 else f"{r['doc']}#{k}"] = r
    return rows


def split_repeats(doc: str, lines: list[Line], rows: dict[str, dict]) -> list[tuple[str, list[Line]]]:
    """Lines of a document whose id was shared, given back per occurrence (index k -> ``ID#k``, index 0)."""
    if f"{doc}#1" not in rows:
        return [(doc, lines)]
    out: dict[str, list[Line]] = {}
    for ln in lines:
        key = doc if ln.index == 0 else f"{doc}#{ln.index}"
        if key in rows:
            out.setdefault(key, []).append(Line(0, ln.label, ln.reason, ln.event, ln.fields))
    return list(out.items())


def read_docs(path: Path) -> dict[str, dict]:
    """The documents of a corpus file by id (none when it does not exist yet)."""
    if not path.exists():
        return {}
    return {d["doc"]: d for d in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    if not n:
        return float("nan")
    agree = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return (agree - chance) / (1 - chance) if chance < 1 else 1.0


def first_label(sentence: dict) -> str:
    labels = [x["label"] for x in sentence["labels"] if x["reason"] in ("event", "mention")]
    return labels[0] if labels else "NONE"


def agreement(main: dict[str, dict], double: dict[str, dict]) -> dict[str, float | int]:
    pairs = []
    for doc, d2 in double.items():
        d1 = main.get(doc)
        if d1 is None:
            continue
        pairs += [(first_label(a), first_label(b)) for a, b in zip(d1["sentences"], d2["sentences"], strict=True)]
    binary = [(a != "NONE", b != "NONE") for a, b in pairs]
    both = [(a, b) for a, b in pairs if a != "NONE" and b != "NONE"]
    return {
        "sentences": len(pairs),
        "kappa_event": round(kappa([(str(a), str(b)) for a, b in binary]), 3),
        "kappa_subtype": round(kappa(pairs), 3),
        "events_either": sum(a or b for a, b in binary),
        "subtype_agreement_where_both_event": round(sum(a == b for a, b in both) / len(both), 3) if both else 0.0,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=Path, required=True)
    ap.add_argument("--labels", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--merge", action="store_true", help="keep the documents already in the output files")
    args = ap.parse_args()
    rows = read_rows(args.batches / "documents.jsonl")
    main_docs: dict[str, dict] = {}
    double_docs: dict[str, dict] = {}
    for labels_file in sorted(args.labels.glob("*.tsv")):
        batch = labels_file.stem
        index = args.batches / f"{batch}.index.jsonl"
        if not index.exists():
            continue
        doubled = {r["doc"]: r["double"] for r in map(json.loads, index.read_text(encoding="utf-8").splitlines())}
        labels, problems = read_labels(labels_file)
        for p in problems:
            print(p, file=sys.stderr)
        for doc, lines in (pair for d, ls in labels.items() for pair in split_repeats(d, ls, rows)):
            if doc.split("#")[0] not in doubled:
                continue
            covered = {ln.index for ln in lines}
            if len(covered) < len(rows[doc]["sentences"]):
                print(f"{batch}: {doc} incomplete, left out", file=sys.stderr)
                continue
            record = dict(doc_record(rows[doc], batch, lines), doc=doc)
            (double_docs if doubled[doc.split("#")[0]] else main_docs)[doc] = record
    report: dict[str, object] = {"this_run": {"documents": len(main_docs),
                                              "agreement": agreement(main_docs, double_docs)}}
    if args.merge:
        main_docs = {**read_docs(args.out / "labels.jsonl"), **main_docs}
        double_docs = {**read_docs(args.out / "double.jsonl"), **double_docs}
    with open(args.out / "labels.jsonl", "w", encoding="utf-8") as f:
        for doc in sorted(main_docs):
            f.write(json.dumps(main_docs[doc], ensure_ascii=False) + "\n")
    with open(args.out / "double.jsonl", "w", encoding="utf-8") as f:
        for doc in sorted(double_docs):
            f.write(json.dumps(double_docs[doc], ensure_ascii=False) + "\n")
    n = sum(len(d["sentences"]) for d in main_docs.values())
    events = Counter(d["source"] for d in main_docs.values() for s in d["sentences"] for x in s["labels"]
                     if x["reason"] == "event")
    report |= {"documents": len(main_docs), "sentences": n, "events_by_source": events,
               "agreement": agreement(main_docs, double_docs)}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
