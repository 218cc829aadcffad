"""Fatalities by ACLED's conservative rules and other counts."""

from __future__ import annotations

import pytest

from flashpoint.events.quantities import fatalities, other_quantities, parse_number
from flashpoint.records import Quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("At least 25 people were killed and 20 others were wounded", 25),
        ("a suicide bomber struck, killing at least four commandos", 4),
        ("Several civilians were killed in the raid", 3),
        ("dozens of people died after the strike", 12),
        ("hundreds of people were killed", 100),
        ("The death toll rose to 1,200 on Monday", 1200),
        ("twenty-one soldiers were killed in 2019", 21),
        ("between 10 and 20 people were killed, 10 of them children", 10),
        ("Security forces have killed 219 suspected rebels", 219),
    ],
)
def test_quantities_fatalities_conservative(text: str, value: int) -> None:
    found = fatalities(text)
    assert found is not None and found.value == value


def test_quantities_no_fatalities_without_a_figure() -> None:
    assert fatalities("Rebels shelled the town in 2019") is None
    assert fatalities("Troops were killed") is None


def test_quantities_other_counts() -> None:
    assert Quantity(5000, "militants and their families evacuated") in other_quantities(
        "5,000 militants and their families will be evacuated to Idlib"
    )
    assert Quantity(300, "protesters arrested") in other_quantities("Police arrested 300 protesters")
    assert any(q.of.endswith("displaced") and q.value == 2000 for q in other_quantities(
        "Two thousand people were displaced by the fighting"))


@pytest.mark.parametrize(("raw", "value"), [("1,200", 1200), ("two hundred", 200), ("several", 3),
                                            ("forty-two", 42), ("3 thousand", 3000), ("banana", None)])
def test_quantities_parse_number(raw: str, value: int | None) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("No one was killed in the attack.", 0),
        ("There were no casualties, the ministry said.", 0),
        ("Two soldiers were killed and no one else was hurt.", 2),
        ("No one was killed at first, but three people died later in hospital.", 3),
        ("One soldier was killed.", 1),
    ],
)
def test_quantities_nobody_killed_is_zero_not_one(text: str, value: int) -> None:
    found = fatalities(text)
    assert found is not None and found.value == value
