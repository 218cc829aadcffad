"""Numbers by ACLED's rules for vague words, and counts other than fatalities."""

from __future__ import annotations

import pytest

from flashpoint.events.quantities import other_quantities, parse_number
from flashpoint.records import Quantity


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
