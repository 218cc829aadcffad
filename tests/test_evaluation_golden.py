from __future__ import annotations

from flashpoint.evaluation.golden import same_actor, score
from flashpoint.records import Evidence, Modality
from tests.helpers import make_event

EXPECTED = {
    "events": [
        {
            "id": "shelling",
            "event_type": ["Explosions/Remote violence"],
            "sub_event_type": ["Shelling/artillery/missile attack"],
            "evidence_contains": "fighters shelled Saraqib",
        },
        {
            "id": "protest",
            "event_type": ["Protests"],
            "sub_event_type": ["Peaceful protest"],
            "evidence_contains": "marched in Idlib",
        },
    ],
    "must_not_emit": [
        {"text": "shelled Saraqib", "forbid_asserted": {"event_type": ["Battles"]}},
    ],
}


def test_evaluation_golden_counts_found_typed_and_subtyped_events():
    shelling = make_event()
    wrong_sub = make_event(
        event_id="FP2",
        event_type="Protests",
        sub_event_type="Protest with intervention",
        evidence=Evidence("a1", "Protesters marched in Idlib against HTS.", 40, 80),
    )
    report = score([shelling, wrong_sub], EXPECTED)
    assert [(m.found, m.type_ok, m.sub_type_ok) for m in report.matches] == [
        (True, True, True),
        (True, True, False),
    ]
    assert report.violations == ()
    assert report.summary().startswith("2/2 expected events found, 2/2 with an accepted event type, 1/2")


def test_evaluation_golden_flags_forbidden_asserted_events_but_not_other_modalities():
    battle = make_event(event_id="FP3", event_type="Battles", sub_event_type="Armed clash")
    threatened = make_event(
        event_id="FP4", event_type="Battles", sub_event_type="Armed clash", modality=Modality.THREATENED
    )
    report = score([battle, threatened], EXPECTED)
    assert [v.event_id for v in report.violations] == ["FP3"]


def test_evaluation_golden_ignores_events_outside_the_default_output():
    hypothetical = make_event(modality=Modality.HYPOTHETICAL)
    assert score([hypothetical], EXPECTED).found == 0


def test_evaluation_golden_actor_names_compare_loosely():
    assert same_actor("Military Forces of Syria (2000-2024)", "military forces of syria")
    assert same_actor("Hayy’at Tahrir al-Sham", "Hayyat Tahrir alSham")
    assert not same_actor("Hayat Tahrir al-Sham", "Ahrar al-Sham")
