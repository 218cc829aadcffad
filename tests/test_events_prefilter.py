from __future__ import annotations

import pytest

from flashpoint.events import EventStage
from flashpoint.events.decide import may_code, read_article
from flashpoint.events.prefilter import EventParse
from flashpoint.nlp import NlpStage, RegexModel
from flashpoint.pipeline import ArticleState
from flashpoint.records import Article

SENTENCES = [
    "Rebels shelled Aleppo on Monday, killing three civilians.",
    "Hundreds of protesters marched in Idlib against the council.",
    "Police arrested two journalists in Damascus.",
    "The minister said the talks would resume next week.",
    "The weather was warm and the market was busy.",
    "An earthquake killed 40 people in the north of the country.",
    "HTS fighters seized the town after clashes with the army, and jets bombed the road.",
    "A car bomb exploded near the checkpoint.",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels shelled Aleppo on Monday, killing three civilians.", True),
        ("The weather was warm and the market was busy.", False),
    ],
)
def test_events_prefilter_event_parse_follows_the_event_decision(text, expected):
    assert EventParse(EventStage())(text) is expected


def _unparsed_events(stage: EventStage, text: str) -> list:
    (state,) = NlpStage(RegexModel()).pipe([ArticleState(Article("a", text))])
    (sentence,) = state.sentences
    return stage.sentence_events(sentence, state.tokens, (), None)


def test_events_prefilter_a_sentence_left_unparsed_codes_no_event():
    """The events stage must code nothing from a sentence EventParse leaves unparsed: if it did, that
    event would be coded without its parse (modality, roles) in the coder."""
    stage = EventStage()
    parse = EventParse(stage)
    kept = [t for t in SENTENCES if parse(t)]
    assert 0 < len(kept) < len(SENTENCES)
    for text in SENTENCES:
        if not parse(text):
            assert _unparsed_events(stage, text) == [], text


def test_events_prefilter_event_parse_loses_no_seed_event(seed_text):
    stage = EventStage()
    parse = EventParse(stage)
    (state,) = NlpStage(RegexModel()).pipe([ArticleState(Article("seed", seed_text))])
    texts = [s.text for s in state.sentences]
    parse.prepare([texts])  # as the coder does: each sentence read in its article
    readings = read_article(stage.model, texts)
    skipped = [s for s in state.sentences if not parse(s.text)]
    assert skipped, "the seed has sentences with no event"
    for s in skipped:
        tokens = [t for t in state.tokens if t.sentence == s.index]
        assert stage.sentence_events(s, tokens, (), None, reading=readings[s.index]) == [], s.text


def test_events_prefilter_reads_each_sentence_in_its_own_article():
    """Prepared for a batch, the filter decides for each sentence as the stage reads it in its article
    (with that article's lead, for a model that reads one), never across two articles."""
    stage = EventStage()
    parse = EventParse(stage)
    articles = [SENTENCES[:3], SENTENCES[3:]]
    parse.prepare(articles)
    for texts in articles:
        readings = read_article(stage.model, texts)
        assert [parse(t) for t in texts] == [may_code(r, t) for r, t in zip(readings, texts, strict=True)]
