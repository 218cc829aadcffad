"""Training examples for the sentence model (:mod:`flashpoint.events.sentence_model`).

Examples come from three places, each a list of :class:`Example`:

* ACLED notes (an export's ``notes`` and ``sub_event_type``): current events, cleaned towards news
  prose (:func:`clean_note`) and capped per sub-event type;
* written sentences (``training/examples/*.tsv``: label, modality, text);
* the labelled corpus (``training/corpus/labels.jsonl``, :mod:`flashpoint.events.corpus`): every
  sentence of whole articles, with its reason; the article-level dev gold is never read.

:mod:`flashpoint.events.finetune` fits the model on them.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flashpoint.errors import InputError, ModelError
from flashpoint.events import taxonomy
from flashpoint.events.corpus import EVENT, NONE, REASONS, LabelledDocument, LabelledSentence, is_dev
from flashpoint.events.sentence_model import with_context

__all__ = ["REASONS", "Example", "from_acled", "from_corpus", "from_reviews", "from_written", "gather"]

REJECTED = "rejected"
"""The reason of a review's rejected event: no event is there, and the reviewer did not say why."""

_DATE_LEAD = re.compile(
    r"^\s*(?:(?:on|around|between|in|during|since|from)\s+)?(?:the\s+)?(?:night\s+of\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?[\s/-]+(?:and\s+\d{1,2}\s+)?)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?(?!\d))?(?:,?\s+\d{4})?(?:\s*\([^)]*\))?\s*[,.:]?\s*",
    re.IGNORECASE,
)
_PREFIX = re.compile(r"^\s*[A-Z][A-Za-z /-]{2,40}:\s+")
_BRACKETS = re.compile(r"\[[^\]]*\]|\((?:coded|as reported|month of|week of)[^)]*\)", re.IGNORECASE)
_META = re.compile(r"\b(?:fatalities|fatality)\b[^.]*\b(?:coded|reported|unknown)[^.]*\.", re.IGNORECASE)


def clean_note(note: str) -> str:
    """An ACLED coder's note made closer to news prose (date lead, prefixes, coder remarks removed)."""
    text = _BRACKETS.sub("", note)
    text = _META.sub("", text)
    for _ in range(2):
        text = _PREFIX.sub("", text)
        text = _DATE_LEAD.sub("", text, count=1)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:1].upper() + text[1:] if text else text


MODALITY_REASON = {"asserted": EVENT, "attempted": EVENT, "": EVENT, "threatened": "threat",
                   "hypothetical": "plan", "background": "background"}


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    kind: str  # the sub-event type the sentence is about, or NONE
    reason: str  # one of REASONS, or REJECTED (a review's rejection: no event, no reason given)
    source: str  # acled | written | corpus | review

    @property
    def event(self) -> str:
        """The event head's label: the type of a current event, else NONE."""
        return self.kind if self.reason == EVENT else NONE


def read_acled(path: Path) -> list[Example]:
    """Examples from an ACLED-format CSV; rows with an unknown sub-event type raise InputError."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc})") from exc
    out: list[Example] = []
    with handle:
        reader = csv.DictReader(handle)
        fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
        missing = {"notes", "sub_event_type"} - set(fields)
        if missing:
            raise InputError(str(path), f"missing column(s) {sorted(missing)}; an ACLED export has "
                             "notes, event_type, sub_event_type")
        for n, row in enumerate(reader, start=2):
            note = (row.get(fields["notes"]) or "").strip()
            sub = (row.get(fields["sub_event_type"]) or "").strip()
            if not note or not sub:
                continue
            try:
                name = taxonomy.get(sub).name
            except KeyError as exc:
                raise InputError(f"{path}:{n}", f"unknown sub_event_type {sub!r}") from exc
            text = clean_note(note)
            if text:
                out.append(Example(text, name, EVENT, "acled"))
    return out


def balance(examples: Sequence[Example], cap: int, seed: int = 13) -> list[Example]:
    """At most ``cap`` ACLED notes per class (written examples are all kept)."""
    rng = random.Random(seed)
    by: dict[str, list[Example]] = {}
    for e in examples:
        by.setdefault(e.kind if e.source == "acled" else f"w:{e.kind}", []).append(e)
    out: list[Example] = []
    for key, group in sorted(by.items()):
        if not key.startswith("w:") and len(group) > cap:
            group = rng.sample(group, cap)
        out.extend(group)
    return out


def from_acled(path: Path, cap: int) -> list[Example]:
    """ACLED notes as current events, at most ``cap`` per sub-event type."""
    return balance(read_acled(path), cap)


def from_written(source: Path) -> list[Example]:
    """Written sentences from a TSV file, or every ``*.tsv`` in a folder: ``NONE:<category>`` rows are
    off-topic, other modalities give their reason."""
    out = []
    for path in [source] if source.is_file() else sorted(source.glob("*.tsv")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            parts = line.split("\t")
            if len(parts) < 3 or (n == 1 and parts[0].strip().lower() == "label"):
                continue
            label, modality, text = parts[0].strip(), parts[1].strip().lower(), "\t".join(parts[2:]).strip()
            if label.upper().startswith(NONE):
                out.append(Example(text, NONE, "offtopic", "written"))
                continue
            try:
                name = taxonomy.get(label).name
            except KeyError as exc:
                raise InputError(f"{path}:{n}", f"unknown label {label!r}") from exc
            out.append(Example(text, name, MODALITY_REASON.get(modality, EVENT), "written"))
    return out


def corpus_input(doc: LabelledDocument, sentence: LabelledSentence) -> str:
    """What the network reads for a labelled sentence: as in :func:`flashpoint.events.decide.model_inputs`,
    a sentence after its document's first reads with that first sentence, the article's lead."""
    return with_context(sentence.text, doc.lead if sentence.index > 0 else None)


def from_corpus(docs: Iterable[LabelledDocument], *, dev: bool = False) -> list[Example]:
    """Every labelled sentence of the documents (the dev gold articles left out unless ``dev``)."""
    return [Example(corpus_input(d, s), s.label, s.reason, "corpus")
            for d in docs if dev or not is_dev(d.source, d.doc) for s in d.labelled()]


def from_reviews(url: str) -> list[Example]:
    """The reviewed events of the store at ``url`` as examples of their evidence sentences: a confirmed
    or corrected event teaches its (reviewed) sub-event type, with its modality; a rejected event, or
    one marked a duplicate of another, teaches that its sentence reports no event of its own."""
    from flashpoint.records import ReviewStatus
    from flashpoint.store import EventQuery, open_store

    if url.startswith("sqlite:///") and url != "sqlite:///:memory:" and not Path(url[len("sqlite:///"):]).exists():
        raise InputError(url, "no such database: nothing was reviewed there")
    store = open_store(url)
    try:
        out = []
        for e in store.iter_events(EventQuery(modalities=None, include_rejected=True)):
            if e.review_status is ReviewStatus.UNREVIEWED or e.evidence is None:
                continue
            if e.review_status is ReviewStatus.REJECTED:
                out.append(Example(e.evidence.text, NONE, REJECTED, "review"))
            else:
                reason = MODALITY_REASON.get(str(e.modality), EVENT)  # a confirmed plan teaches a plan
                out.append(Example(e.evidence.text, taxonomy.get(e.sub_event_type).name, reason, "review"))
        return out
    finally:
        store.close()


def gather(*, acled: Sequence[Path] = (), examples: Sequence[Path] = (), corpus: Sequence[Path] = (),
           shared: Path | None = None, cap: int = 800, more: Sequence[Example] = ()) -> list[Example]:
    """Examples from ACLED exports, written-sentence TSVs (files or folders) and corpus label files,
    and ``more`` (reviewed events)."""
    from flashpoint.events.corpus import read_corpus

    data: list[Example] = []
    for path in acled:
        data += from_acled(path, cap)
    for path in examples:
        data += from_written(path)
    for path in corpus:
        data += from_corpus(read_corpus(path, shared))
    data += more
    if not data:
        raise ModelError("no training examples: give an ACLED export, written sentences, a corpus or reviews")
    return data
