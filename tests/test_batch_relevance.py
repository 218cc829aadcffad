from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from flashpoint.batch.relevance import keep_all, may_report_event
from flashpoint.events.prefilter import may_hold_event
from flashpoint.nlp.model import RegexModel
from tests.conftest import shared_file

NOT_ACLED = {"NATURAL_DISASTER", "MAN_MADE_DISASTER", "ORG_CRIME", "DIPLO", "ATTRIB"}
WORDS = [
    "Rebels",
    "killed",
    "the",
    "council",
    "budget",
    "shelling",
    "protest",
    "park",
    "arrested",
    "weather",
    "fine",
    "sunny",
    "Idlib",
    "talks",
    "a",
    "firearm",
    "Fire",
    "died.",
]


def test_batch_relevance_passes_the_seed_article(seed_text):
    assert may_report_event(seed_text)


def test_batch_relevance_recall_on_case2021_acled_snippets_is_one():
    path = shared_file("eval/case2021-subtypes-dev.tsv")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    events = [r for r in rows if r["SubType"] not in NOT_ACLED]
    missed = [r["id"] for r in events if not may_report_event(r["EventSnippet"])]
    assert len(events) > 200
    assert missed == []


def test_batch_relevance_sets_aside_some_general_news():
    root = ET.parse(shared_file("eval/geowebnews-dev.xml")).getroot()
    texts = [a.findtext("text") or "" for a in root.iter("article")]
    aside = [t for t in texts if not may_report_event(t)]
    assert 0 < len(aside) < len(texts)


@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), min_size=1, max_size=6))
def test_batch_relevance_agrees_with_the_sentence_prefilter(sentences):
    text = " ".join(" ".join(words).rstrip(".") + "." for words in sentences)
    analysis = next(RegexModel().analyse([text]))
    assert may_report_event(text) == any(may_hold_event(s.text) for s in analysis.sentences)


def test_batch_relevance_keep_all_keeps_everything():
    assert keep_all("The weather was fine.")
