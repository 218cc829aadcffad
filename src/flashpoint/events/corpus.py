"""The labelled corpus (``training/corpus/labels.jsonl``): sentences read in their articles and labelled
by the annotation guide (``training/ANNOTATION.md``).

Each document line holds its source, id, licence, publication date and per sentence its offsets and
labels (sub-event type or NONE, the reason, the event id, argument offsets). Texts that may not be
redistributed are not in the file: :func:`read_corpus` takes them from the source files named in
:data:`SOURCES`, under a ``shared`` folder (the project's ``../shared``); openly licensed texts (the
event-location sentences, Wikinews articles) are kept on their line.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flashpoint.errors import InputError

NONE = "NONE"
EVENT = "event"
REASONS = ("event", "statement", "plan", "threat", "opinion", "generic", "background", "offtopic")
"""What a sentence does: reports a current event, or one of the guide's reasons for NONE."""

WHOLE_ARTICLES = ("guardian", "geowebnews", "wikinews")
"""The corpus's sources of whole articles (``els``, the event-location sentences, are single sentences)."""
SOURCES = {
    "guardian": Path("eval") / "guardian-syria-dev.jsonl",
    "geowebnews": Path("eval") / "geowebnews-dev.xml",
}
DEV_BUCKETS = 30
"""Guardian articles with :func:`bucket` below this are the article-level dev gold: never trained on."""


def bucket(doc: str) -> int:
    """A stable number in 0-99 from a document id: the corpus's split rule."""
    return int(hashlib.md5(doc.encode()).hexdigest(), 16) % 100


def is_dev(source: str, doc: str) -> bool:
    return source == "guardian" and bucket(doc) < DEV_BUCKETS


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    source: str
    doc: str
    index: int
    text: str
    label: str  # the sub-event type the sentence describes, or NONE
    reason: str  # one of REASONS
    event: str | None  # the event id within the document, for event and mention lines
    carrier: bool  # the sentence that best reports its event
    published: str | None


@dataclass(frozen=True, slots=True)
class LabelledDocument:
    source: str
    doc: str
    text: str
    published: str | None
    sentences: tuple[tuple[int, int], ...]
    labels: tuple[tuple[dict, ...], ...]  # per sentence, the annotator's lines (label, reason, event, args)

    @property
    def lead(self) -> str:
        """The document's first sentence: a Wikinews headline, a Guardian article's opening sentence."""
        a, b = self.sentences[0] if self.sentences else (0, 0)
        return self.text[a:b]

    def labelled(self) -> Iterator[LabelledSentence]:
        for i, ((a, b), lines) in enumerate(zip(self.sentences, self.labels, strict=True)):
            events = [x for x in lines if x["reason"] in ("event", "mention")]
            if events:
                first = events[0]
                yield LabelledSentence(self.source, self.doc, i, self.text[a:b], first["label"], EVENT,
                                       first.get("event"), first["reason"] == "event", self.published)
            else:
                line = lines[0] if lines else {"reason": "offtopic"}
                yield LabelledSentence(self.source, self.doc, i, self.text[a:b], line.get("type", NONE),
                                       line["reason"], None, False, self.published)


def _source_texts(shared: Path, source: str) -> dict[str, str]:
    path = shared / SOURCES[source]
    if not path.exists():
        raise InputError(str(path), f"the {source} texts of the corpus are not there (labels keep offsets only)")
    if source == "guardian":
        with open(path, encoding="utf-8") as f:
            return {d["id"]: d["text"] for d in map(json.loads, f)}
    root = ET.parse(path).getroot()
    return {f"gwn-{a.get('file', n)}": a.findtext("text") or "" for n, a in enumerate(root.iter("article"))}


def read_corpus(path: Path, shared: Path | None = None) -> list[LabelledDocument]:
    """Every document of a labels file, with its text (from the line itself or from ``shared``)."""
    texts: dict[str, dict[str, str]] = {}
    out: list[LabelledDocument] = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            try:
                d = json.loads(line)
                source, doc = d["source"], d["doc"]
                text = d.get("text")
                if text is None:
                    if shared is None:
                        raise InputError(f"{path}:{n}", f"{doc} keeps offsets only; give the shared folder")
                    if source not in texts:
                        texts[source] = _source_texts(shared, source)
                    text = texts[source][doc]
                spans = tuple((int(s["span"][0]), int(s["span"][1])) for s in d["sentences"])
                labels = tuple(tuple(s["labels"]) for s in d["sentences"])
            except (KeyError, ValueError, TypeError) as exc:
                raise InputError(f"{path}:{n}", f"not a corpus document ({exc!r})") from exc
            out.append(LabelledDocument(source, doc, text, d.get("published"), spans, labels))
    return out
