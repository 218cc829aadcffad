"""Modality cues that need no parse: retrospective sentences (history an article recalls)."""

from __future__ import annotations

import datetime as dt

import pytest

from flashpoint.events.modality import retrospective

PUBLISHED = dt.date(2018, 5, 8)


@pytest.mark.parametrize(("text", "expected"), [
    ("Matar's brother was detained by Isis in August 2013 and remains missing.", True),
    ("What al-Qaida, founded by Osama bin Laden in Pakistan in 1988, had talked about doing.", True),
    ("Emwazi was killed in a drone strike in Raqqa two years ago.", True),
    ("On 9 November 2017, the Syrian army drove Isis militants out of Abu Kamal.", False),
    ("Police killed 2000 protesters.", False),  # a count, not a year
    ("The group, formed in 2012, seized the town on 3 May 2018.", False),  # a recent date as well
    ("Rebels shelled the town on Monday.", False),
])
def test_events_modality_retrospective_sentences(text: str, expected: bool) -> None:
    assert retrospective(text, PUBLISHED) is expected


def test_events_modality_retrospective_needs_a_publication_date() -> None:
    assert retrospective("The massacre of 1982 in Hama.", None) is False
