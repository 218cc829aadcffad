"""The argument model: candidate features on hand-built parses, the shipped weights, and actor1/actor2
chosen in sentences written for these tests (real spaCy parse in the slow ones)."""

from __future__ import annotations

import re

import pytest

from flashpoint.errors import ModelError
from flashpoint.events import arguments
from flashpoint.events.arguments import ArgumentModel, Candidate, candidates, load_model
from flashpoint.records import Actor, ActorMention, Token

GOV = Actor("Military Forces of Syria", "state forces", 1, "SYR")
RUS = Actor("Military Forces of Russia", "external state forces", 8, "RUS")
REBELS = Actor("Syrian rebels", "rebel group", 2, "SYR")
HTS = Actor("Hayat Tahrir al-Sham", "rebel group", 2, "SYR")
SDF = Actor("Syrian Democratic Forces", "rebel group", 2, "SYR")
POLICE = Actor("Police Forces of Syria", "state police", 1, "SYR")

# (text, lemma, pos, dep, head) per token; offsets come from joining the words with spaces
PASSIVE = [("Two", "two", "NUM", "nummod", 1), ("villages", "village", "NOUN", "nsubjpass", 3),
           ("were", "be", "AUX", "auxpass", 3), ("shelled", "shell", "VERB", "ROOT", 3),
           ("by", "by", "ADP", "agent", 3), ("government", "government", "NOUN", "compound", 6),
           ("forces", "force", "NOUN", "pobj", 4), (".", ".", "PUNCT", "punct", 3)]
NOMINAL = [("Russian", "russian", "ADJ", "amod", 1), ("warplanes", "warplane", "NOUN", "nsubj", 2),
           ("struck", "strike", "VERB", "ROOT", 2), ("a", "a", "DET", "det", 4),
           ("market", "market", "NOUN", "dobj", 2), (".", ".", "PUNCT", "punct", 2)]
MODIFIER = [("Villages", "village", "NOUN", "nsubjpass", 5), ("held", "hold", "VERB", "acl", 0),
            ("by", "by", "ADP", "agent", 1), ("rebels", "rebel", "NOUN", "pobj", 2),
            ("were", "be", "AUX", "auxpass", 5), ("shelled", "shell", "VERB", "ROOT", 5),
            ("by", "by", "ADP", "agent", 5), ("government", "government", "NOUN", "compound", 8),
            ("forces", "force", "NOUN", "pobj", 6), (".", ".", "PUNCT", "punct", 5)]
PRONOUN = [("They", "they", "PRON", "nsubj", 1), ("shelled", "shell", "VERB", "ROOT", 1),
           ("the", "the", "DET", "det", 3), ("town", "town", "NOUN", "dobj", 1), (".", ".", "PUNCT", "punct", 1)]
CONTROL = [("Turkey", "Turkey", "PROPN", "nsubj", 2), ("has", "have", "AUX", "aux", 2),
           ("resumed", "resume", "VERB", "ROOT", 2), ("shelling", "shell", "VERB", "xcomp", 2),
           ("the", "the", "DET", "det", 5), ("enclave", "enclave", "NOUN", "dobj", 3), (".", ".", "PUNCT", "punct", 2)]
OWN_SUBJECT = [("Turkey", "Turkey", "PROPN", "nsubj", 1), ("struck", "strike", "VERB", "ROOT", 1),
               ("the", "the", "DET", "det", 3), ("town", "town", "NOUN", "dobj", 1), ("and", "and", "CCONJ", "cc", 1),
               ("rebels", "rebel", "NOUN", "nsubj", 6), ("shelled", "shell", "VERB", "conj", 1),
               ("the", "the", "DET", "det", 8), ("enclave", "enclave", "NOUN", "dobj", 6), (".", ".", "PUNCT", "punct", 1)]
SHELLING = "Shelling/artillery/missile attack"


def _tokens(spec: list[tuple[str, str, str, str, int]], parsed: bool = True) -> tuple[str, list[Token]]:
    tokens, at = [], 0
    for i, (text, lemma, pos, dep, head) in enumerate(spec):
        tokens.append(Token(i, at, at + len(text), text, lemma, pos, pos, dep if parsed else "",
                            head if parsed else i, 0))
        at += len(text) + 1
    return " ".join(t[0] for t in spec), tokens


def _mention(text: str, words: str, actor: Actor, via: str = "alias", sentence: int = 0) -> ActorMention:
    found = re.search(re.escape(words), text)
    assert found is not None, words
    return ActorMention(found.start(), found.end(), words, sentence, actor, 0.9, via)


def _trigger(text: str, word: str) -> tuple[int, int]:
    found = re.search(rf"\b{word}\b", text)
    assert found is not None
    return found.start(), found.end()


def _features(cands: list[Candidate], words: str) -> set[str]:
    return set(next(c for c in cands if c.mention.text == words).features)


def test_events_arguments_passive_agent_features() -> None:
    text, tokens = _tokens(PASSIVE)
    cands = candidates(SHELLING, tokens, [_mention(text, "government forces", GOV, "role")], _trigger(text, "shelled"))
    feats = _features(cands, "government forces")
    assert {"dep:pobj:by", "hpath:pobj:by>agent", "passive", "passive&dep:pobj:by", "side:after",
            "arg:pobj:by&passive", "inter:1", "kind:state forces", "only"} <= feats
    assert "ev=Explosions/Remote violence&inter:1" in feats


def test_events_arguments_nominal_agent_features() -> None:
    text, tokens = _tokens(NOMINAL)
    cands = candidates("Air/drone strike", tokens, [_mention(text, "Russian", RUS, "nationality")],
                       _trigger(text, "struck"))
    feats = _features(cands, "Russian")
    assert {"dep:amod", "dep2:amod>nsubj", "hpath:amod>nsubj", "np:nsubj", "np:inner", "arg:nsubj&active",
            "side:before", "via:nationality"} <= feats
    assert "passive" not in feats


def test_events_arguments_subject_of_a_controlling_verb_is_the_triggers() -> None:
    """"Turkey has resumed shelling": the subject of the verb the trigger complements is its subject too;
    a conjoined clause with a subject of its own ("Turkey struck ... and rebels shelled") shares none."""
    text, tokens = _tokens(CONTROL)
    feats = _features(candidates(SHELLING, tokens, [_mention(text, "Turkey", GOV)], _trigger(text, "shelling")),
                      "Turkey")
    assert {"arg:nsubj", "arg:nsubj&active", "arg:shared:xcomp"} <= feats
    text, tokens = _tokens(OWN_SUBJECT)
    mentions = [_mention(text, "Turkey", GOV), _mention(text, "rebels", REBELS, "role")]
    cands = candidates(SHELLING, tokens, mentions, _trigger(text, "shelled"))
    assert not any(f.startswith("arg:") for f in _features(cands, "Turkey"))
    assert "arg:nsubj" in _features(cands, "rebels")


def test_events_arguments_modifier_clause_features() -> None:
    text, tokens = _tokens(MODIFIER)
    mentions = [_mention(text, "rebels", REBELS, "role"), _mention(text, "government forces", GOV, "role")]
    cands = candidates(SHELLING, tokens, mentions, _trigger(text, "shelled"))
    held_by = _features(cands, "rebels")
    assert {"mod:acl", "passive&mdep:pobj:by", "rank:before:0", "first"} <= held_by
    assert not any(f.startswith("arg:") for f in held_by)
    assert "arg:pobj:by&passive" in _features(cands, "government forces")
    # actor2 pair features: the rebels stand before actor1 and have another inter code
    rebels = next(c for c in cands if c.mention.text == "rebels")
    assert {"pair:a2_before", "pair:inter1>2"} <= set(rebels.pairs[1])


def test_events_arguments_unknown_inter_reads_as_0_for_the_shipped_weights() -> None:
    """An actor with no inter code (None) has the features the weights were trained on, where 0 meant unknown."""
    text, tokens = _tokens(MODIFIER)
    party = Actor("Syrian rebels", "political party", None, "SYR")
    mentions = [_mention(text, "rebels", party, "alias"), _mention(text, "government forces", GOV, "role")]
    cands = candidates(SHELLING, tokens, mentions, _trigger(text, "shelled"))
    rebels = next(c for c in cands if c.mention.text == "rebels")
    assert {"inter:0", "ev=Explosions/Remote violence&inter:0"} <= set(rebels.features)
    assert "inter:None" not in " ".join(rebels.features)
    assert "pair:inter1>0" in rebels.pairs[1]
    weights = load_model().roles  # the shipped weights know these features: a None code is scored as before
    assert "inter:0" in weights["actor1"].weights and "pair:inter1>0" in weights["actor2"].weights


def test_events_arguments_context_and_unparsed_candidates() -> None:
    text, tokens = _tokens(PRONOUN)
    earlier = ActorMention(0, 20, "Hayat Tahrir al-Sham", -1, HTS, 0.9)
    cands = candidates(SHELLING, tokens, [], _trigger(text, "shelled"), context=[earlier])
    assert [c.mention for c in cands] == [earlier]
    assert {"ctx", "ctx&pronoun", "ctx&last", "ctx&inter:2"} <= set(cands[0].features)
    text, tokens = _tokens(PASSIVE, parsed=False)
    cands = candidates(SHELLING, tokens, [_mention(text, "government forces", GOV)], _trigger(text, "shelled"))
    assert "noparse" in cands[0].features and not any(f.startswith("dep:") for f in cands[0].features)


def test_events_arguments_model_file_loads() -> None:
    model = load_model()
    assert set(model.roles) == {"actor1", "actor2"}
    assert all(len(w.weights) > 100 for w in model.roles.values())
    assert "cv_model" in model.meta["figures"]
    again = ArgumentModel.from_json(model.to_json())
    assert again.roles["actor1"].weights == model.roles["actor1"].weights


@pytest.mark.parametrize("text", ['{"format": 99, "roles": {}}', '{"format": 1, "roles": {"actor1": {}}}', "[]"])
def test_events_arguments_malformed_model_fails_loudly(text: str) -> None:
    with pytest.raises(ModelError, match="argument model"):
        ArgumentModel.from_json(text, "bad.json")


@pytest.mark.parametrize(
    ("spec", "sub", "trigger", "named", "actor1"),
    [
        (PASSIVE, SHELLING, "shelled", [("government forces", GOV)], "government forces"),
        (MODIFIER, SHELLING, "shelled", [("rebels", REBELS), ("government forces", GOV)], "government forces"),
        (NOMINAL, "Air/drone strike", "struck", [("Russian", RUS)], "Russian"),
    ],
)
def test_events_arguments_model_chooses_actor1_on_hand_parses(spec, sub, trigger, named, actor1) -> None:  # type: ignore[no-untyped-def]
    text, tokens = _tokens(spec)
    mentions = [_mention(text, words, actor) for words, actor in named]
    agent, _ = load_model().choose(sub, candidates(sub, tokens, mentions, _trigger(text, trigger)))
    assert agent is not None and agent.text == actor1


def _assign(spacy_model, text: str, sub: str, trigger: str, named: list[tuple[str, Actor, str]]):  # type: ignore[no-untyped-def]
    from flashpoint.nlp import NlpStage
    from flashpoint.pipeline import ArticleState
    from flashpoint.records import Article

    state = NlpStage(spacy_model)(ArticleState(Article("t", text)))
    sentence = state.sentences[0]
    mentions = [_mention(text, words, actor, via) for words, actor, via in named]
    return arguments.assign(sub, sentence.text, sentence.start, 0, state.sentence_tokens(0), mentions,
                            _trigger(text, trigger), "SYR")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "sub", "trigger", "named", "actor1"),
    [
        ("Two villages were shelled by government forces on Monday.", SHELLING, "shelled",
         [("government forces", GOV, "role")], "government forces"),
        ("Two villages held by rebels were shelled by government forces.", SHELLING, "shelled",
         [("rebels", REBELS, "role"), ("government forces", GOV, "role")], "government forces"),
        ("Russian warplanes struck a market in Saraqib on Sunday.", "Air/drone strike", "struck",
         [("Russian", RUS, "nationality")], "Russian"),
        ("Russian warplanes struck a market in a town held by Hayat Tahrir al-Sham.", "Air/drone strike", "struck",
         [("Russian", RUS, "nationality"), ("Hayat Tahrir al-Sham", HTS, "alias")], "Russian"),
        ("Government forces have resumed shelling the town of Saraqib.", SHELLING, "shelling",
         [("Government forces", GOV, "role")], "Government forces"),
    ],
)
def test_events_arguments_passive_and_nominal_agents(spacy_model, text, sub, trigger, named, actor1) -> None:  # type: ignore[no-untyped-def]
    roles = _assign(spacy_model, text, sub, trigger, named)
    assert roles.actor1 is not None and roles.actor1.text == actor1


@pytest.mark.slow
def test_events_arguments_passive_attack_reads_both_sides(spacy_model) -> None:  # type: ignore[no-untyped-def]
    roles = _assign(spacy_model, "Kurdish fighters were attacked by government forces near Qamishli.",
                    "Armed clash", "attacked",
                    [("Kurdish fighters", SDF, "nationality"), ("government forces", GOV, "role")])
    assert roles.actor1 is not None and roles.actor1.actor.name == GOV.name
    assert roles.actor2 is not None and roles.actor2.actor.name == SDF.name


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "sub", "trigger", "named", "actor1", "actor2"),
    [
        ("Police fired tear gas at protesters in Homs on Friday.", "Protest with intervention", "fired",
         [("Police", POLICE, "role")], "Protesters (Syria)", POLICE.name),
        ("Gunmen from Hayat Tahrir al-Sham killed five villagers near Idlib.", "Attack", "killed",
         [("Hayat Tahrir al-Sham", HTS, "alias")], HTS.name, "Civilians (Syria)"),
    ],
)
def test_events_arguments_acled_conventions_apply(spacy_model, text, sub, trigger, named, actor1, actor2) -> None:  # type: ignore[no-untyped-def]
    roles = _assign(spacy_model, text, sub, trigger, named)
    assert roles.actor1 is not None and roles.actor1.actor.name == actor1
    assert roles.actor2 is not None and roles.actor2.actor.name == actor2


@pytest.mark.slow
def test_events_arguments_a_weapon_fired_is_its_users_act(spacy_model) -> None:  # type: ignore[no-untyped-def]
    roles = _assign(spacy_model, "Suspected Russian missiles were fired at two villages near Idlib on Monday.",
                    SHELLING, "fired", [("Russian missiles", RUS, "nationality")])
    assert roles.actor1 is not None and roles.actor1.actor.name == RUS.name
    assert roles.actor2 is None
    # a weapon brought down is the target: disrupted weapons use keeps it as actor2
    downed = _assign(spacy_model, "Two Russian drones were shot down near Idlib on Monday.",
                     "Disrupted weapons use", "shot", [("Russian drones", RUS, "nationality")])
    assert downed.actor1 is None and downed.actor2 is not None and downed.actor2.actor.name == RUS.name


def _silver():  # type: ignore[no-untyped-def]
    """training/arguments/silver.py (it imports its sibling extract.py)."""
    import importlib.util
    import sys
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "training" / "arguments"
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location("arguments_silver", folder / "silver.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    return module


@pytest.mark.parametrize(
    ("column", "actor", "via", "strength"),
    [
        ("Military Forces of Syria (2000-2024)", GOV, "alias", 2),
        ("Military Forces of Israel (2022-)", Actor("Government of Israel", "external state government", 8, "ISR"),
         "country", 1),
        ("Police Forces of Kenya (2013-)", Actor("Police Forces of Somalia", "state police", 1, "SOM"), "role", 1),
        ("Police Forces of Kenya (2013-)", Actor("Police Forces of Somalia", "state police", 1, "SOM"), "alias", 0),
        ("Protesters (Syria)", Actor("Protesters", "protesters", 6), "role", 1),
        ("HTS: Hayat Tahrir al-Sham", HTS, "alias", 2),
        ("Military Forces of Libya (2016-) Government of National Accord",
         Actor("Government of National Accord", "state forces", 1, "LBY"), "acronym", 1),
        ("Military Forces of Syria (2000-2024)", POLICE, "role", 0),
    ],
)
def test_events_arguments_silver_columns_match_mentions(column: str, actor: Actor, via: str, strength: int) -> None:
    silver = _silver()
    mention = ActorMention(0, 5, "words", 0, actor, 0.9, via)
    assert silver.match(mention, silver.keys(column)) == strength


def test_events_arguments_silver_mention_goes_to_the_better_column() -> None:
    silver = _silver()
    faction = Actor("Government of National Accord", "state forces", 1, "LBY")
    other = Actor("Libyan National Army", "state forces", 1, "LBY")
    one, two = silver.silver_spans([ActorMention(0, 3, "GNA", 0, faction, 0.9, "acronym"),
                                    ActorMention(10, 13, "LNA", 0, other, 0.9, "acronym")],
                                   "Military Forces of Libya (2016-) Government of National Accord",
                                   "Libyan National Army")
    assert one == ((0, 3),) and two == ((10, 13),)
    assert silver.silver_spans([ActorMention(0, 3, "GNA", 0, faction, 0.9)], "Government of National Accord",
                               "Government of National Accord") == (((0, 3),), ())
