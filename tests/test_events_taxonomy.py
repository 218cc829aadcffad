"""ACLED taxonomy loaded from data: types, priorities, mappings, inter and interaction codes."""

from __future__ import annotations

import pytest

from flashpoint.events import taxonomy


def test_taxonomy_has_25_sub_event_types_under_6_event_types() -> None:
    subs = taxonomy.sub_event_types()
    assert len(subs) == 25
    assert len({s.name for s in subs}) == 25
    assert {s.event_type for s in subs} == {t.name for t in taxonomy.event_types()}
    assert len(taxonomy.event_types()) == 6


def test_taxonomy_priorities_are_a_strict_order() -> None:
    subs = taxonomy.sub_event_types()
    assert [s.priority for s in subs] == list(range(1, 26))
    assert taxonomy.get("Chemical weapon").priority < taxonomy.get("Air/drone strike").priority
    assert taxonomy.get("Violent demonstration").priority < taxonomy.get("Excessive force against protesters").priority
    assert taxonomy.get("Government regains territory").priority < taxonomy.get("Armed clash").priority
    force = taxonomy.get("Excessive force against protesters")
    assert force.priority < taxonomy.get("Peaceful protest").priority


@pytest.mark.parametrize(
    ("name", "event_type", "disorder"),
    [
        ("Excessive force against protesters", "Protests", "Political violence; Demonstrations"),
        ("Violent demonstration", "Riots", "Demonstrations"),
        ("Mob violence", "Riots", "Political violence"),
        ("Agreement", "Strategic developments", "Strategic developments"),
        ("Air/drone strike", "Explosions/Remote violence", "Political violence"),
    ],
)
def test_taxonomy_disorder_and_event_types(name: str, event_type: str, disorder: str) -> None:
    s = taxonomy.get(name)
    assert (s.event_type, s.disorder_type) == (event_type, disorder)


def test_taxonomy_get_is_case_insensitive_and_names_unknown_values() -> None:
    assert taxonomy.get("armed CLASH").name == "Armed clash"
    with pytest.raises(KeyError, match="Bank robbery"):
        taxonomy.get("Bank robbery")


def test_taxonomy_plover_and_cameo_mappings() -> None:
    assert taxonomy.get("Other").plover_type == "THREATEN"
    assert taxonomy.get("Peaceful protest").plover_type == "PROTEST"
    assert taxonomy.get("Chemical weapon").cameo == "2041"
    assert all(s.plover_type for s in taxonomy.sub_event_types())


@pytest.mark.parametrize(
    ("inter1", "inter2", "code"),
    [(1, 2, 12), (2, 1, 12), (6, None, 60), (None, 7, 70), (None, None, None), (8, 8, 88), (0, 3, 30)],
)
def test_taxonomy_interaction_code(inter1: int | None, inter2: int | None, code: int | None) -> None:
    assert taxonomy.interaction_code(inter1, inter2) == code


def test_taxonomy_inter_codes_and_case_labels() -> None:
    assert taxonomy.inter_codes()[6] == "Protesters"
    assert len(taxonomy.inter_codes()) == 8
    labels = taxonomy.CASE2021_LABELS
    assert len(labels) == 30
    assert sum(v is None for v in labels.values()) == 5
    for name in labels.values():
        if name is not None:
            taxonomy.get(name)


def test_incident_groups_the_violent_types_and_the_demonstrations() -> None:
    violent = {taxonomy.incident(t) for t in ("Battles", "Explosions/Remote violence", "Violence against civilians")}
    assert violent == {"violence"}
    assert taxonomy.incident("Protests") == taxonomy.incident("Riots") == "demonstration"
    assert taxonomy.incident("Strategic developments") == "Strategic developments"
