from __future__ import annotations

import pytest

SENTENCES = [
    "Rebels shelled Aleppo on Monday, killing three civilians and wounding dozens more.",
    "We ain't gonna let 's go, y'all, but I saw it and you did too.",
    "There is a dog. There were clashes. Do you have it? He did not, but she does.",
    "C'mon , gotta go !  The fighters' convoys were struck near the city's northern gates.",
    "Which of them did it is unclear; that was what the ministry said.",
    "Hay'at Tahrir al-Sham seized 12 villages in 2018 , the Observatory reported .",
]


@pytest.mark.slow
def test_nlp_attributes_match_the_ruler_and_lemmatizer_token_for_token(spacy_model):
    nlp = spacy_model.nlp
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        parsed = list(nlp.pipe(SENTENCES))
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    for doc in parsed:
        theirs = lemmatizer(ruler(doc.copy()))
        ours = spacy_model.attributes(doc.copy())
        assert [(t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_) for t in ours] == [
            (t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_) for t in theirs
        ], doc.text


@pytest.mark.slow
def test_nlp_attributes_apply_multi_token_and_dependency_patterns(spacy_model):
    nlp = spacy_model.nlp
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        doc = nlp("We ain't gonna stop.")
    spacy_model.attributes(doc)
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["ai"] == "be" and lemmas["gon"] == "go" and lemmas["na"] == "to"
    assert len(spacy_model.attributes.matcher) < len(nlp.get_pipe("attribute_ruler").patterns)


def test_nlp_attributes_simple_patterns_are_one_token_lower_and_tag_tests():
    from flashpoint.nlp.attributes import _simple_test

    assert _simple_test([{"TAG": "NN"}]) == {"TAG": frozenset({"NN"})}
    assert _simple_test([{"LOWER": "ai", "TAG": {"IN": ["VBP", "VBZ"]}}]) == {
        "LOWER": frozenset({"ai"}), "TAG": frozenset({"VBP", "VBZ"})}
    assert _simple_test([{"LOWER": "i", "DEP": "nsubj"}]) is None
    assert _simple_test([{"LOWER": "gon"}, {"LOWER": "na"}]) is None
    assert _simple_test([{"TAG": {"NOT_IN": ["TO", ""]}}]) is None
    assert _simple_test([{"LOWER": {"REGEX": "^n'?t$"}}]) is None
