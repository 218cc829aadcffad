"""Turn annotators' toponym label files into ``training/toponyms/guardian.jsonl`` and report agreement.

    .venv/bin/python training/toponyms/build.py --labels /tmp/topo --out training/toponyms

Each label line is ``DOC<TAB>SENTENCE<TAB>STRING<TAB>OCCURRENCE<TAB>KIND`` (the guide: ``GUIDE.md``):
the OCCURRENCE-th whole-word match of STRING in that sentence of the corpus's sentence split
(``training/corpus/labels.jsonl``). The Guardian texts may not be redistributed, so the output keeps
offsets only: one line per article, ``{"doc", "toponyms": [[start, end, kind], ...]}``. The doubled
articles' second annotation goes to ``guardian-double.jsonl``; agreement is span F1 (exact offsets)
and, on the spans both marked, the share with the same kind.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("literal", "metonym", "adjective", "embedded")


def spans(path: Path, texts: dict[str, str], sentences: dict[str, list[list[int]]]) -> dict[str, set[tuple]]:
    out: dict[str, set[tuple]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        doc, index, string, occurrence, kind = line.split("\t")
        if kind not in KINDS:
            raise SystemExit(f"{path}:{n}: kind {kind!r}")
        a, b = sentences[doc][int(index)]
        found = occurrence_span(texts[doc], a, b, string, int(occurrence))
        if isinstance(found, int):
            raise SystemExit(f"{path}:{n}: {string!r} occurs {found} time(s) in sentence {index} of {doc}")
        out.setdefault(doc, set()).add((*found, kind))
    return out


def occurrence_span(text: str, a: int, b: int, string: str, occurrence: int) -> tuple[int, int] | int:
    """The offsets in ``text`` of the ``occurrence``-th whole-word match of ``string`` in the sentence
    ``text[a:b]`` as annotators read it (whitespace collapsed); else how many matches there are."""
    flat = " ".join(text[a:b].split())
    hits = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(string) + r"(?!\w)", flat)]
    if not 1 <= occurrence <= len(hits):
        return len(hits)
    at = hits[occurrence - 1]
    return _unflatten(text, a, b, at), _unflatten(text, a, b, at + len(string) - 1) + 1


def _unflatten(text: str, a: int, b: int, pos: int) -> int:
    """The offset in ``text[a:b]`` of character ``pos`` of its whitespace-collapsed form."""
    flat = -1
    space = True
    for i in range(a, b):
        if text[i].isspace():
            if not space:
                flat += 1
            space = True
        else:
            flat += 1
            space = False
        if flat == pos and not text[i].isspace():
            return i
    raise ValueError(f"position {pos} not in text[{a}:{b}]")


def agreement(main: dict[str, set[tuple]], double: dict[str, set[tuple]]) -> dict[str, float | int]:
    docs = [d for d in double if d in main]
    a = {(d, s, e) for d in docs for s, e, _ in main.get(d, ())}
    b = {(d, s, e) for d in docs for s, e, _ in double.get(d, ())}
    both = a & b
    kind_a = {(d, s, e): k for d in docs for s, e, k in main.get(d, ())}
    kind_b = {(d, s, e): k for d in docs for s, e, k in double.get(d, ())}
    f1 = 2 * len(both) / max(1, len(a) + len(b))
    return {"articles": len(docs), "first": len(a), "second": len(b), "both": len(both), "span_f1": round(f1, 3),
            "same_kind_where_both": round(sum(kind_a[x] == kind_b[x] for x in both) / max(1, len(both)), 3)}


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from flashpoint.events.corpus import read_corpus

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, required=True, help="folder with labels-1.tsv, labels-2.tsv, labels-double.tsv")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = ap.parse_args()
    docs = {d.doc: d for d in read_corpus(ROOT / "training" / "corpus" / "labels.jsonl", args.shared)
            if d.source == "guardian"}
    texts = {k: d.text for k, d in docs.items()}
    sentences = {k: [list(s) for s in d.sentences] for k, d in docs.items()}
    main_spans: dict[str, set[tuple]] = {}
    for name in ("labels-1.tsv", "labels-2.tsv"):
        main_spans |= spans(args.labels / name, texts, sentences)
    double = spans(args.labels / "labels-double.tsv", texts, sentences)
    for name, found in (("guardian.jsonl", main_spans), ("guardian-double.jsonl", double)):
        with open(args.out / name, "w", encoding="utf-8") as f:
            for doc in sorted(found):
                f.write(json.dumps({"doc": doc, "toponyms": sorted(list(t) for t in found[doc])}) + "\n")
    kinds: dict[str, int] = {}
    for found in main_spans.values():
        for _, _, k in found:
            kinds[k] = kinds.get(k, 0) + 1
    print(json.dumps({"articles": len(main_spans), "toponyms": sum(kinds.values()), "kinds": kinds,
                      "agreement": agreement(main_spans, double)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
