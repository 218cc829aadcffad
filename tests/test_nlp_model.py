from __future__ import annotations

import pytest

from flashpoint.nlp import NlpStage, RegexModel
from flashpoint.pipeline import ArticleState
from flashpoint.records import Article

TEXT = "Rebels shelled Aleppo on Monday.  Nothing else happened. Protesters gathered in Idlib."


@pytest.mark.slow
def test_nlp_model_offsets_index_the_text_as_received(spacy_model):
    (analysis,) = spacy_model.analyse([TEXT], parse_filter=lambda s: "shelled" in s)
    assert [TEXT[s.start : s.end] for s in analysis.sentences] == [s.text for s in analysis.sentences]
    assert len(analysis.sentences) == 3
    for t in analysis.tokens:
        assert TEXT[t.start : t.end] == t.text
    for m in analysis.mentions:
        assert TEXT[m.start : m.end] == m.text
    assert analysis.parsed == frozenset({0})
    shelled = next(t for t in analysis.tokens if t.text == "shelled")
    assert shelled.lemma == "shell" and shelled.dep == "ROOT"
    rebels = next(t for t in analysis.tokens if t.text == "Rebels")
    assert rebels.head == shelled.i and rebels.dep == "nsubj"
    assert [t.i for t in analysis.tokens] == list(range(len(analysis.tokens)))


def test_nlp_stage_batches_and_records_itself():
    stage = NlpStage(RegexModel(), batch_size=2)
    states = [ArticleState(Article(str(i), TEXT)) for i in range(3)]
    out = list(stage.pipe(states))
    assert [s.article.id for s in out] == ["0", "1", "2"]
    assert all("nlp" in s.done and len(s.sentences) == 3 for s in out)


@pytest.mark.slow
def test_nlp_model_splits_paragraphs_and_trims_sentences(spacy_model):
    text = "HTS loses ground in Syria\n\n  Rebels shelled Aleppo.\nProtesters marched in Idlib. "
    (analysis,) = spacy_model.analyse([text])
    assert [s.text for s in analysis.sentences] == [
        "HTS loses ground in Syria",
        "Rebels shelled Aleppo.",
        "Protesters marched in Idlib.",
    ]
    for s in analysis.sentences:
        assert text[s.start : s.end] == s.text


@pytest.mark.slow
def test_nlp_model_entities_only_where_parsed_when_asked(spacy_model):
    from flashpoint.nlp.model import SpacyModel

    fast = SpacyModel(ner_everywhere=False)
    fast._nlp = spacy_model.nlp  # same loaded pipeline
    text = "Russian warplanes bombed the city of Homs in Syria on Monday. Angela Merkel visited Paris."
    (a,) = fast.analyse([text], parse_filter=lambda s: "bombed" in s)
    assert a.parsed == frozenset({0})
    assert {m.text for m in a.mentions} >= {"Homs", "Syria"}
    assert all(m.sentence == 0 for m in a.mentions)
    for m in a.mentions:
        assert text[m.start : m.end] == m.text
    homs = next(t for t in a.tokens if t.text == "Homs")
    assert homs.ent_type == "GPE"
    (everywhere,) = spacy_model.analyse([text], parse_filter=lambda s: "bombed" in s)
    assert {m.text for m in everywhere.mentions} >= {"Homs", "Angela Merkel", "Paris"}


@pytest.mark.slow
def test_nlp_model_entities_beyond_the_parsed_sentences_with_a_ner_filter(spacy_model):
    from flashpoint.nlp.model import SpacyModel

    fast = SpacyModel(ner_everywhere=False)
    fast._nlp = spacy_model.nlp
    text = "Russian warplanes bombed Homs on Monday. Angela Merkel visited Paris. Talks went on in Geneva."
    (a,) = fast.analyse([text], parse_filter=lambda s: "bombed" in s, ner_filter=lambda s: "visited" in s)
    assert a.parsed == frozenset({0})
    assert {m.text: m.sentence for m in a.mentions} == {
        "Russian": 0, "Homs": 0, "Monday": 0, "Angela Merkel": 1, "Paris": 1
    }
    for m in a.mentions:
        assert text[m.start : m.end] == m.text
    for t in a.tokens:
        assert text[t.start : t.end] == t.text
    assert [t.i for t in a.tokens] == list(range(len(a.tokens)))
    bombed = next(t for t in a.tokens if t.text == "bombed")
    assert bombed.dep == "ROOT" and bombed.lemma == "bomb"
    homs = next(t for t in a.tokens if t.text == "Homs")
    assert homs.head == bombed.i and homs.ent_type != ""
    visited = next(t for t in a.tokens if t.text == "visited")
    assert visited.dep == "" and visited.head == visited.i and visited.lemma == "visited"
    assert next(t for t in a.tokens if t.text == "Paris").ent_type != ""
    assert next(t for t in a.tokens if t.text == "Geneva").ent_type == ""


@pytest.mark.slow
def test_nlp_model_plain_tokens_are_those_of_the_sentence_span(spacy_model):
    from flashpoint.nlp.model import _PlainTokens, _sentences

    text = "  Rebels  shelled Aleppo.\n\n\n  Protesters   marched.\t\tCalm returned  \n"
    doc = spacy_model.nlp(text)
    plain = _PlainTokens(doc)
    offset = 0
    for s in _sentences(doc):
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        expected = [(t.idx, t.text, t.ent_type_) for t in span if not t.is_space]
        got = plain.of(s, offset)
        assert [(t.start, t.text, t.ent_type) for t in got] == expected
        assert [t.i for t in got] == list(range(offset, offset + len(got)))
        assert all(text[t.start : t.end] == t.text and t.lemma == t.text.lower() for t in got)
        offset += len(got)
