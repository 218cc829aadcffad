"""Golden test: the bundled example examples/hts-2018.txt coded as an ACLED analyst would code it.

The example reports the seed's events in other words, so the analyst's coding is the seed's
expected.json carried over sentence by sentence; it runs the whole default pipeline (real spaCy model,
actor knowledge base, gazetteer) and checks types, modality and actor roles, not only types.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flashpoint.records import DEFAULT_MODALITIES, Event, Modality

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hts-2018.txt"
HTS = "Hayat Tahrir al-Sham"
SYRIA = "Military Forces of Syria"
RUSSIA = "Military Forces of Russia"


def _norm(name: str | None) -> str:
    """Actor names as the seed compares them: no trailing '(2000-2024)'-style period."""
    return (name or "").split(" (20")[0].split(" (19")[0]


@pytest.fixture(scope="module")
def events() -> list[Event]:
    from flashpoint.coder import Coder

    return Coder().code(EXAMPLE.read_text(encoding="utf-8"), published="2018-05-08", article_id="hts-2018")


def _in(events: list[Event], phrase: str, default: bool = True) -> list[Event]:
    found = [e for e in events if e.evidence is not None and phrase in e.evidence.text]
    return [e for e in found if e.modality in DEFAULT_MODALITIES] if default else found


def _one(events: list[Event], phrase: str) -> Event:
    found = _in(events, phrase)
    assert len(found) == 1, (phrase, [(e.sub_event_type, e.modality) for e in _in(events, phrase, False)])
    return found[0]


@pytest.mark.slow
def test_events_example_yarmouk_handover_is_htss_without_al_qaeda(events: list[Event]) -> None:
    e = _one(events, "handed over its last positions")
    assert e.sub_event_type in ("Non-violent transfer of territory", "Government regains territory", "Agreement")
    assert e.modality is Modality.ASSERTED
    sides = {_norm(e.actor1), _norm(e.actor2)}
    assert HTS in sides
    assert "al-Qaeda" not in sides  # "once linked to al-Qaeda" describes HTS's past, it is no party
    # the camp, not the city it lies in (the seed's golden check allows a few kilometres either way)
    assert e.location is not None and "Yarm" in e.location and e.geo_precision == 1


@pytest.mark.slow
def test_events_example_evacuation_deal_is_an_asserted_agreement(events: list[Event]) -> None:
    e = _one(events, "Under an evacuation agreement")
    assert (e.event_type, e.sub_event_type, e.modality) == ("Strategic developments", "Agreement", Modality.ASSERTED)
    assert {_norm(e.actor1), _norm(e.actor2)} & {SYRIA, RUSSIA}
    assert any(q.value == 5000 and "evacuated" in q.of for q in e.quantities)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="known miss of the argument model: HTS is named only in the sentence "
                   "before; it takes the Russian military, named in the clause, as actor1")
def test_events_example_evacuation_deal_is_hts_s(events: list[Event]) -> None:
    e = _one(events, "Under an evacuation agreement")
    assert _norm(e.actor1) == HTS


@pytest.mark.slow
def test_events_example_fire_on_protesters_is_excessive_force_by_hts(events: list[Event]) -> None:
    e = _one(events, "opened fire with live ammunition on protesters")
    assert e.sub_event_type == "Excessive force against protesters"
    assert (e.actor1, _norm(e.actor2)) == ("Protesters (Syria)", HTS)


@pytest.mark.slow
def test_events_example_repeated_capture_attempts_are_an_attempted_clash(events: list[Event]) -> None:
    """"Tried to storm and seize the town several times but never took it": the seed's analysts coded
    these attempts on one town by one group as one event, an armed clash or other development, with the
    modality "attempt: the town was not taken" (expected.json); not a generic description of the war."""
    e = _one(events, "tried to storm and seize the town")
    assert e.modality is Modality.ATTEMPTED
    assert (e.event_type, e.sub_event_type) in (("Battles", "Armed clash"), ("Strategic developments", "Other"))
    assert e.location is not None and "Nu" in e.location


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="known miss of the argument model: no antecedent for \"its fighters\"")
def test_events_example_capture_attempts_are_hts_s(events: list[Event]) -> None:
    (e,) = _in(events, "tried to storm and seize the town", False)
    assert (_norm(e.actor1), _norm(e.actor2)) == (HTS, "Maarat al-Numan Military Council")  # "its fighters"


@pytest.mark.slow
def test_events_example_march_targets_the_leaders_group(events: list[Event]) -> None:
    e = _one(events, "marched through Maarat al-Numan")
    assert e.sub_event_type == "Peaceful protest"
    assert e.actor1 == "Protesters (Syria)"
    assert _norm(e.target) == HTS  # "against the HTS leader, Abu Mohammed al-Joulani": the leader's group


@pytest.mark.slow
def test_events_example_ultimatum_is_a_turkish_threat_to_hts(events: list[Event]) -> None:
    e = _one(events, "told them to dissolve the group")
    assert (e.event_type, e.sub_event_type) == ("Strategic developments", "Other")
    assert e.plover.get("type") == "THREATEN"
    assert _norm(e.actor1) in ("Government of Turkey", "Military Forces of Turkey")
    assert _norm(e.actor2) == HTS


@pytest.mark.slow
@pytest.mark.parametrize(("phrase", "forbidden"), [
    ("Turkish troops are stationed at twelve observation posts", {"Agreement", "Headquarters or base established"}),
    ("could use the group's presence as a pretext", {"Armed clash", "Air/drone strike",
                                                     "Shelling/artillery/missile attack"}),
    ("still controls large parts of Idlib", {"Non-state actor overtakes territory", "Agreement"}),
])
def test_events_example_standing_situations_and_conjectures_are_not_asserted(
        events: list[Event], phrase: str, forbidden: set[str]) -> None:
    asserted = [e.sub_event_type for e in _in(events, phrase, False) if e.modality is Modality.ASSERTED]
    assert not forbidden & set(asserted), asserted


@pytest.mark.slow
def test_events_example_no_event_outside_the_analysts_six(events: list[Event]) -> None:
    default = [e for e in events if e.modality in DEFAULT_MODALITIES]
    assert len(default) == 6, [(e.sub_event_type, e.evidence.text[:60] if e.evidence else "") for e in default]
    assert all("al-Qaeda" not in {e.actor1, e.actor2, e.target} for e in events)
