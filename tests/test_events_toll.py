"""The learned fatality figure (flashpoint.events.toll): which number of an event's sentence counts its dead."""

from __future__ import annotations

import json

import pytest

from flashpoint.errors import ModelError
from flashpoint.events import toll
from flashpoint.model_files import model_text


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
        ("Security forces have killed 219 suspected rebels", 219),
        ("A suicide bomber killed 12 people at a wedding in the capital on Friday.", 12),
        ("A car bomb exploded near a checkpoint, killing four soldiers and wounding 15 others.", 4),
        ("Two soldiers were killed and no one else was hurt.", 2),
        ("No one was killed at first, but three people died later in hospital.", 3),
        ("No one was killed in the attack.", 0),
        ("One soldier was killed.", 1),
    ],
)
def test_the_figure_of_the_dead(text: str, value: int) -> None:
    found = toll.read_figure(text)
    assert found is not None and found.value == value
    assert toll.parse_number(text[found.start:found.end].lower()) == value or value == 0


@pytest.mark.parametrize(
    "text",
    ["Rebels shelled the town in 2019", "Troops were killed",
     "The army said 3 of its 40 soldiers were wounded in the clash.",
     "Police arrested 45 people after the march, a spokesman said."],
)
def test_no_figure_when_the_sentence_counts_no_dead(text: str) -> None:
    assert toll.read_figure(text) is None


def test_a_range_gives_its_lower_end() -> None:
    found = toll.read_figure("between 10 and 20 people were killed, 10 of them children")
    assert found is not None and found.value == 10
    found = toll.read_figure("Ten to 15 people were killed in the raid.")
    assert found is not None and (found.value, found.start) == (10, 0)


def test_options_offer_every_number_and_no_figure() -> None:
    opts = toll.options("Gunmen killed five people and wounded a dozen in 2021.")
    assert [o.value for o in opts] == [5, 12, 2021, None]
    assert "year:True" in opts[2].features
    assert opts[-1].features[0] == toll.NO_FIGURE


def test_the_shipped_model_says_what_it_was_trained_on() -> None:
    text = model_text("flashpoint.events", toll.DEFAULT_MODEL, None, "fatality model", "train.py")
    assert "corpus event sentences" in json.loads(text)["trained_on"]


def test_a_malformed_model_is_refused(tmp_path) -> None:
    path = tmp_path / "fatalities.json"
    path.write_text("[]")
    with pytest.raises(ModelError, match="malformed"):
        toll.load_model(path)
    with pytest.raises(ModelError, match="cannot be read"):
        toll.load_model(tmp_path / "missing.json")
