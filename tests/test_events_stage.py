"""The events stage over the seed article (real spaCy model), and over hand-built sentences."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from flashpoint.events import EventStage, may_hold_event
from flashpoint.pipeline import ArticleState
from flashpoint.records import DEFAULT_MODALITIES, Actor, ActorMention, Article, Modality

from .conftest import shared_file

_SEED_ACTORS = {
    "Hayat Tahrir al-Sham": (("Hayy'at Tahrir al-Sham", "Hayy’at Tahrir al-Sham", "HTS"), 2, "SYR"),
    "Maarat al-Numan Military Council": (("Maarat al-Numan Military Council",), 2, "SYR"),
    "Military Forces of Turkey": (("Turkish Armed Forces", "TSK"), 8, "TUR"),
    "Government of Turkey": (("Turkish officials",), 8, "TUR"),
    "Military Forces of Syria": (("Syrian Arab Army", "SAA"), 1, "SYR"),
    "Military Forces of Russia": (("Russian military",), 8, "RUS"),
}


def _hand_built_actors(state: ArticleState) -> ArticleState:
    """Alias matching standing in for the actor stage (the seed's own alias list)."""
    text = state.article.text
    found = []
    for name, (aliases, inter, country) in _SEED_ACTORS.items():
        for alias in aliases:
            for m in re.finditer(rf"\b{re.escape(alias)}\b", text):
                sentence = next(s.index for s in state.sentences if s.start <= m.start() < s.end)
                found.append(ActorMention(m.start(), m.end(), alias, sentence, Actor(name, "group", inter, country),
                                          0.9))
    return state.with_("actors", actor_mentions=tuple(sorted(found, key=lambda m: m.start)))


def _with_actors(state: ArticleState) -> ArticleState:
    try:
        from flashpoint.actors import ActorStage  # type: ignore[attr-defined]
    except ImportError:
        return _hand_built_actors(state)
    return ActorStage()(state)


@pytest.fixture(scope="module")
def seed_state(spacy_model, seed_text: str) -> ArticleState:  # type: ignore[no-untyped-def]
    import datetime as dt

    from flashpoint.nlp import NlpStage

    expected = json.loads(shared_file("examples/hts-2018/expected.json").read_text(encoding="utf-8"))
    published = dt.date.fromisoformat(expected["article"]["published"])  # as its note says to pass it
    state = NlpStage(spacy_model, parse_filter=may_hold_event)(ArticleState(Article("seed", seed_text, published)))
    return EventStage()(_with_actors(state))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


@pytest.mark.slow
def test_events_stage_finds_the_six_seed_events(seed_state: ArticleState) -> None:
    expected = json.loads(shared_file("examples/hts-2018/expected.json").read_text(encoding="utf-8"))
    default = [c for c in seed_state.candidates if c.modality in DEFAULT_MODALITIES]
    for exp in expected["events"]:
        want = _squash(exp["evidence_contains"])
        here = [c for c in default if want in _squash(seed_state.sentences[c.sentence].text)]
        assert any(c.event_type in exp["event_type"] and c.sub_event_type in exp["sub_event_type"] for c in here), (
            exp["id"], [(c.sub_event_type, c.modality) for c in here])


@pytest.mark.slow
def test_events_stage_emits_nothing_forbidden_in_the_seed(seed_state: ArticleState) -> None:
    expected = json.loads(shared_file("examples/hts-2018/expected.json").read_text(encoding="utf-8"))
    for rule in expected["must_not_emit"]:
        want = _squash(rule["text"])
        forbid = rule["forbid_asserted"]
        for c in seed_state.candidates:
            if want in _squash(seed_state.sentences[c.sentence].text) and c.modality is Modality.ASSERTED:
                assert c.event_type not in forbid.get("event_type", []), rule["why"]
                assert c.sub_event_type not in forbid.get("sub_event_type", []), rule["why"]


@pytest.mark.slow
def test_events_stage_seed_roles_and_modality(seed_state: ArticleState) -> None:
    by_sub = {}
    for c in seed_state.candidates:
        by_sub.setdefault(c.sub_event_type, []).append(c)
    force = by_sub["Excessive force against protesters"][0]
    assert force.actor1 is not None and force.actor1.actor.name == "Protesters (Syria)"
    assert force.actor2 is not None and force.actor2.actor.name == "Hayat Tahrir al-Sham"
    attempt = by_sub["Armed clash"][0]
    assert attempt.modality is Modality.ATTEMPTED
    assert by_sub["Other"]  # the ultimatum
    deal = [c for c in by_sub["Agreement"] if c.modality is Modality.ASSERTED]
    assert any(q.value == 5000 for c in deal for q in c.quantities)


def _sentence_state(text: str, actors: tuple[tuple[str, str, int], ...] = ()) -> ArticleState:
    from flashpoint.nlp import NlpStage, RegexModel

    state = NlpStage(RegexModel())(ArticleState(Article("t", text)))
    found = []
    for alias, name, inter in actors:
        m = re.search(re.escape(alias), text)
        assert m is not None
        found.append(ActorMention(m.start(), m.end(), alias, 0, Actor(name, "group", inter, "SYR"), 0.9))
    return state.with_("actors", actor_mentions=tuple(found))


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("A suicide bomber blew himself up at a checkpoint in Kabul, killing six soldiers.", "Suicide bomb"),
        ("Police fired tear gas to disperse hundreds of protesters in Nairobi on Monday.",
         "Protest with intervention"),
        ("Government forces recaptured the town of Khan Sheikhoun from rebels on Friday.",
         "Government regains territory"),
        ("Bomb disposal experts defused an IED planted on the road to Kandahar.", "Disrupted weapons use"),
        ("Gunmen opened fire on a bus carrying civilians, killing five passengers.", "Attack"),
    ],
)
def test_events_stage_classifies_plain_sentences(text: str, sub_event_type: str) -> None:
    state = EventStage()(_sentence_state(text))
    assert [c.sub_event_type for c in state.candidates][:1] == [sub_event_type]


def test_events_stage_ignores_non_events() -> None:
    text = "A magnitude 6.1 earthquake struck the province on Tuesday, and heavy rain followed."
    assert EventStage()(_sentence_state(text)).candidates == ()


def test_events_stage_counts_fatalities_and_puts_civilians_second() -> None:
    text = "Islamic State militants killed at least 12 villagers in Deir ez-Zor on Sunday."
    state = EventStage()(_sentence_state(text, (("Islamic State", "Islamic State", 2),)))
    c = state.candidates[0]
    assert c.sub_event_type == "Attack"
    assert c.fatalities == 12 and c.fatalities_span is not None
    assert text[c.fatalities_span[0] : c.fatalities_span[1]] == "12"
    assert c.actor1 is not None and c.actor1.actor.name == "Islamic State"
    assert c.actor2 is not None and c.actor2.actor.name == "Civilians (Syria)" and c.actor2.actor.inter == 7


def test_events_stage_merges_a_second_mention_of_one_event() -> None:
    text = ("Rebels captured the town of Saraqib on Monday. "
            "The rebels captured the town of Saraqib after a week of fighting.")
    state = _sentence_state(text)
    found = []
    for m in re.finditer("ebels", text):
        s = next(x.index for x in state.sentences if x.start <= m.start() < x.end)
        found.append(ActorMention(m.start() - 1, m.end(), text[m.start() - 1 : m.end()], s,
                                  Actor("Rebels (Syria)", "rebels", 2, "SYR"), 0.8))
    state = EventStage()(state.with_("actors", actor_mentions=tuple(found)))
    subs = [c.sub_event_type for c in state.candidates]
    assert subs.count("Non-state actor overtakes territory") == 1


def test_events_stage_references_to_past_events_are_background() -> None:
    text = "The United States launched missile strikes on an air base in retaliation for the chemical attack."
    state = EventStage()(_sentence_state(text))
    by_sub = {c.sub_event_type: c for c in state.candidates}
    assert state.candidates[0].sub_event_type == "Shelling/artillery/missile attack"
    assert state.candidates[0].modality is Modality.ASSERTED
    assert all(c.modality is not Modality.ASSERTED for s, c in by_sub.items() if s == "Chemical weapon")


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Rebels tried to capture the town of Saraqib.", Modality.ATTEMPTED),
        ("The army threatened to shell the town of Saraqib.", Modality.THREATENED),
        ("The army could shell the town of Saraqib next week.", Modality.HYPOTHETICAL),
        ("Rebels shelled the town of Saraqib.", Modality.ASSERTED),
    ],
)
def test_events_stage_modality_without_a_parse(text: str, modality: Modality) -> None:
    state = EventStage()(_sentence_state(text))
    assert state.candidates and state.candidates[0].modality is modality


def test_events_stage_missing_model_names_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from flashpoint.errors import ModelError

    missing = tmp_path / "nope.npz"
    with pytest.raises(ModelError, match=r"nope\.npz"):
        EventStage(model_path=missing)(_sentence_state("Rebels shelled the town."))
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"bad\.npz"):
        EventStage(model_path=bad)(_sentence_state("Rebels shelled the town."))


def test_events_stage_merges_a_follow_up_without_actors_into_the_event_just_reported() -> None:
    from flashpoint.events.stage import merge
    from flashpoint.records import EventCandidate

    police = ActorMention(0, 6, "police", 0, Actor("Police Forces of Turkey", "police", 1, "TUR"), 0.9)
    arrest = EventCandidate(0, "Strategic developments", "Arrests", Modality.ASSERTED, 0.8, (7, 15), actor1=police)
    custody = EventCandidate(2, "Strategic developments", "Arrests", Modality.ASSERTED, 0.9, (200, 207))
    later = EventCandidate(9, "Strategic developments", "Arrests", Modality.ASSERTED, 0.7, (900, 908))
    # the follow-up goes (its sentence stays as further evidence), a distant one stays
    assert merge([arrest, custody, later]) == (dataclasses.replace(arrest, also=(2,)), later)


def test_events_stage_merges_one_change_of_hands_told_twice_with_one_actor_in_common() -> None:
    from flashpoint.events.stage import merge
    from flashpoint.records import EventCandidate

    def mention(name: str, inter: int, sentence: int) -> ActorMention:
        return ActorMention(0, 3, name, sentence, Actor(name, name, inter, "SYR"), 0.9)

    army, isis = mention("Military Forces of Syria", 1, 0), mention("Islamic State", 2, 0)
    regime = mention("Government of Syria", 1, 4)
    took = EventCandidate(0, "Battles", "Government regains territory", Modality.ASSERTED, 0.8, (10, 19),
                          actor1=army, actor2=isis)
    control = EventCandidate(4, "Strategic developments", "Non-violent transfer of territory", Modality.ASSERTED,
                             0.6, (400, 407), actor1=regime, actor2=mention("Islamic State", 2, 4))
    # the same town's fall, under the better-supported type, told in sentences 0 and 4
    assert merge([took, control]) == (dataclasses.replace(took, also=(4,)),)
    crowd = mention("Protesters (Turkey)", 6, 1)
    london = EventCandidate(1, "Protests", "Peaceful protest", Modality.ASSERTED, 0.8, (100, 107), actor1=crowd,
                            actor2=mention("Metropolitan Police", 1, 1))
    manchester = EventCandidate(9, "Protests", "Peaceful protest", Modality.ASSERTED, 0.7, (900, 907),
                                actor1=mention("Protesters (Turkey)", 6, 9), actor2=mention("Friends of Kurdistan", 6, 9))
    assert merge([london, manchester]) == (london, manchester)  # a country's protesters are many crowds


def test_events_stage_towns_that_surrender_change_hands_without_a_fight() -> None:
    text = "Several southern towns have surrendered to the army after a week of shelling."
    state = EventStage()(_sentence_state(text))
    assert state.candidates[0].sub_event_type == "Non-violent transfer of territory"
    state = EventStage()(_sentence_state("The two sides agreed a ceasefire in the south on Monday."))
    assert state.candidates[0].sub_event_type == "Agreement"


def test_events_stage_people_captured_are_taken_not_territory(spacy_model) -> None:  # type: ignore[no-untyped-def]
    from flashpoint.nlp import NlpStage

    def parsed(t: str) -> ArticleState:
        return NlpStage(spacy_model)(ArticleState(Article("t", t))).with_("actors", actor_mentions=())

    text = "Two British fighters were captured by Kurdish forces near the Iraqi border on Monday."
    assert [c.sub_event_type for c in EventStage()(parsed(text)).candidates] == ["Arrests"]
    town = EventStage()(parsed("Rebels captured the town of Saraqib on Monday.")).candidates
    assert town[0].sub_event_type == "Non-state actor overtakes territory"


def test_events_merged_mentions_are_evidence_of_the_coded_event(spacy_model) -> None:  # type: ignore[no-untyped-def]
    """Each sentence that tells the event stays among its sources (the first is its evidence)."""
    from flashpoint.coder import Coder

    text = ("The SDF said on Tuesday it had captured the city's stadium in Raqqa. "
            "Later the SDF seized the last Isis strongholds in Raqqa, a spokesman said.")
    (event,) = Coder().code(text, published="2017-10-17")
    assert event.sub_event_type == "Non-state actor overtakes territory"
    assert sorted(s.text for s in event.sources) == [
        "Later the SDF seized the last Isis strongholds in Raqqa, a spokesman said.",
        "The SDF said on Tuesday it had captured the city's stadium in Raqqa.",
    ]
    assert event.evidence == event.sources[0]  # the better-supported mention stands for the event


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="known miss of the argument model: the ultimatum's addressee, HTS")
def test_events_stage_seed_ultimatum_is_to_hts(seed_state: ArticleState) -> None:
    ultimatum = next(c for c in seed_state.candidates if c.sub_event_type == "Other")
    assert ultimatum.actor2 is not None and ultimatum.actor2.actor.name == "Hayat Tahrir al-Sham"
