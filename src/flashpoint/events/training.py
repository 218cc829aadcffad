"""Training the sentence classifier from ACLED exports and labelled sentences (needs scikit-learn).

Two sources, both optional:

* ACLED exports (CSV with ``notes``, ``event_type``, ``sub_event_type``; other columns ignored).
  Notes are cleaned towards news prose: the leading "On 23 May 2022," date, coder prefixes such as
  "Property destruction:", and bracketed coder remarks ("[size=no report]", "(coded separately)").
* Written sentences: TSV files with columns ``label``, ``modality``, ``text``; ``label`` is an ACLED
  sub-event name or ``NONE:<category>`` (disasters, crime, diplomacy, claims ...), which trains the
  ``NONE`` class. Only asserted and attempted rows train event classes; other modalities train NONE.

The result is an :class:`~flashpoint.events.classifier.EventClassifier` saved as ``.npz``.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from flashpoint.errors import InputError, ModelError
from flashpoint.events import taxonomy
from flashpoint.events.classifier import NONE, EventClassifier, ngrams

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


@dataclass(frozen=True, slots=True)
class Example:
    label: str  # sub-event name or NONE
    text: str
    source: str  # "acled" or "written"


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
                out.append(Example(name, text, "acled"))
    return out


def read_written(path: Path) -> list[Example]:
    """Examples from a TSV of written sentences (label, modality, text)."""
    out: list[Example] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc})") from exc
    for n, line in enumerate(lines, start=1):
        parts = line.split("\t")
        if n == 1 and parts[0].strip().lower() == "label":
            continue
        if len(parts) < 3 or not line.strip():
            continue
        label, modality, text = parts[0].strip(), parts[1].strip().lower(), "\t".join(parts[2:]).strip()
        if label.upper().startswith("NONE"):
            name = NONE
        else:
            try:
                name = taxonomy.get(label).name
            except KeyError as exc:
                raise InputError(f"{path}:{n}", f"unknown label {label!r}") from exc
            if modality not in ("", "asserted", "attempted"):
                name = NONE
        out.append(Example(name, text, "written"))
    return out


def read_written_dir(folder: Path) -> list[Example]:
    return [e for p in sorted(folder.glob("*.tsv")) for e in read_written(p)]


def balance(examples: Sequence[Example], cap: int, seed: int = 13) -> list[Example]:
    """At most ``cap`` ACLED notes per class (written examples are all kept)."""
    rng = random.Random(seed)
    by: dict[str, list[Example]] = {}
    for e in examples:
        by.setdefault(e.label if e.source == "acled" else f"w:{e.label}", []).append(e)
    out: list[Example] = []
    for key, group in sorted(by.items()):
        if not key.startswith("w:") and len(group) > cap:
            group = rng.sample(group, cap)
        out.extend(group)
    return out


def fit(examples: Iterable[Example], *, written_weight: float = 3.0, c: float = 8.0, min_df: int = 2,
        meta: dict[str, object] | None = None) -> EventClassifier:
    """Fit TF-IDF + multinomial logistic regression; returns a numpy-only classifier."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise ModelError("training needs scikit-learn: pip install 'flashpoint[dev]'") from exc
    data = list(examples)
    labels = sorted({e.label for e in data})
    if len(labels) < 2:
        raise ModelError(f"training needs at least two classes, got {labels}")
    vec = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, min_df=min_df, norm="l2", dtype=np.float32)
    x = vec.fit_transform([e.text for e in data])
    y = np.array([labels.index(e.label) for e in data])
    counts = Counter(e.label for e in data)
    weights = np.array(
        [(written_weight if e.source == "written" else 1.0) * (len(data) / (len(labels) * counts[e.label])) ** 0.5
         for e in data]
    )
    lr = LogisticRegression(C=c, max_iter=2000)
    lr.fit(x, y, sample_weight=weights)
    vocab = {str(k): int(v) for k, v in vec.vocabulary_.items()}
    coef = lr.coef_.T.astype(np.float32)
    intercept = lr.intercept_.astype(np.float32)
    if coef.shape[1] == 1:  # binary problem: sklearn keeps one column
        coef = np.hstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2], dtype=np.float32)
    info: dict[str, object] = {"ngram_max": 2, "n_examples": len(data), "per_class": dict(counts)}
    info.update(meta or {})
    return EventClassifier(vocab, vec.idf_.astype(np.float32), coef, intercept, tuple(labels), info)


def prune(model: EventClassifier, keep_share: float = 1.0, min_weight: float = 0.0) -> EventClassifier:
    """Drop features whose largest absolute weight is below ``min_weight`` (a smaller file)."""
    strength = np.abs(model.coef).max(axis=1)
    keep = np.flatnonzero(strength >= min_weight)
    if keep_share < 1.0:
        order = np.argsort(-strength)
        keep = np.sort(order[: max(1, int(len(order) * keep_share))])
    inv = {i: v for v, i in model.vocab.items()}
    vocab = {inv[int(i)]: n for n, i in enumerate(keep)}
    return EventClassifier(vocab, model.idf[keep], model.coef[keep], model.intercept, model.classes, model.meta)
