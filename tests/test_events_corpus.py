"""The labelled corpus: its reader, its split rule, and the corpus the repository holds."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from flashpoint.errors import InputError
from flashpoint.events.corpus import EVENT, NONE, REASONS, bucket, is_dev, read_corpus

from .conftest import ROOT, SHARED

_TEXT = "Troops shelled Kafr Tala on Monday, killing four. The shelling hit a school. Talks are planned."


def _write(tmp_path: Path, docs: list[dict]) -> Path:
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def _doc(**extra: object) -> dict:
    return {"source": "els", "doc": "d1", "published": "2020-01-07", "text": _TEXT, "sentences": [
        {"i": 0, "span": [0, 49], "labels": [{"label": "Shelling/artillery/missile attack", "reason": "event",
                                              "event": "e1", "args": {"location": [15, 24]}}]},
        {"i": 1, "span": [50, 75], "labels": [{"label": "Shelling/artillery/missile attack", "reason": "mention",
                                               "event": "e1"}]},
        {"i": 2, "span": [76, 95], "labels": [{"label": "NONE", "reason": "plan", "type": "Agreement"}]},
    ], **extra}


def test_corpus_sentences_carry_label_reason_and_event(tmp_path: Path) -> None:
    (doc,) = read_corpus(_write(tmp_path, [_doc()]))
    first, mention, plan = doc.labelled()
    assert (first.text, first.label, first.reason, first.event, first.carrier) == (
        "Troops shelled Kafr Tala on Monday, killing four.", "Shelling/artillery/missile attack", EVENT, "e1", True)
    assert (mention.reason, mention.event, mention.carrier) == (EVENT, "e1", False)
    # a plan keeps the type it is about, and its reason says it is no news
    assert (plan.label, plan.reason, plan.event) == ("Agreement", "plan", None)
    assert doc.text[slice(*doc.labels[0][0]["args"]["location"])] == "Kafr Tala"


def test_corpus_without_text_needs_the_shared_folder(tmp_path: Path) -> None:
    doc = _doc()
    del doc["text"]
    path = _write(tmp_path, [dict(doc, source="guardian")])
    with pytest.raises(InputError, match=r"labels\.jsonl:1"):
        read_corpus(path)


def test_corpus_bad_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(_doc()) + "\n" + '{"source": "els"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"labels\.jsonl:2"):
        read_corpus(path)


def test_corpus_split_rule_is_stable_and_keeps_only_guardian_articles_out() -> None:
    assert bucket("guardian-286") == bucket("guardian-286") and 0 <= bucket("guardian-286") < 100
    dev = [f"guardian-{n}" for n in range(400) if is_dev("guardian", f"guardian-{n}")]
    assert 0.2 < len(dev) / 400 < 0.4
    assert not any(is_dev("els", f"guardian-{n}") for n in range(400))


def test_the_repository_corpus_meets_the_guide() -> None:
    """The corpus in training/corpus: every line readable, at least 8,000 sentences outside the dev gold,
    one label a sentence, labels and reasons from the guide, a third of the events outside the Syrian
    articles, and the doubled annotation present."""
    path = ROOT / "training" / "corpus" / "labels.jsonl"
    if not (SHARED / "eval" / "guardian-syria-dev.jsonl").exists():
        pytest.skip(f"{SHARED / 'eval'} is absent: the corpus keeps those texts as offsets only")
    docs = read_corpus(path, SHARED)
    train = [s for d in docs if not is_dev(d.source, d.doc) for s in d.labelled()]
    assert len(train) >= 8_000
    assert {s.reason for s in train} <= set(REASONS)
    events = Counter(d.source for d in docs for s in d.labelled() if s.reason == EVENT and s.carrier)
    assert events["els"] + events["geowebnews"] >= sum(events.values()) / 3
    assert all(s.label != NONE for s in train if s.reason == EVENT)
    double = read_corpus(ROOT / "training" / "corpus" / "double.jsonl", SHARED)
    assert sum(len(d.sentences) for d in double) >= 0.1 * sum(len(d.sentences) for d in docs)
