"""The lexical trigger rules: which cue fires on a sentence, with which label and tier, what does not
fire, and how :func:`decide` weighs strong cues, vetoes, hints and the classifier.

Every sentence here was written for this table.
"""

from __future__ import annotations

import pytest

from flashpoint.events.rules import CLASSIFIER_MIN, HINT_BONUS, RuleHit, decide, hits, is_cause
from flashpoint.events.sentence_model import NONE

IED = "Remote explosive/landmine/IED"

FIRES = [
    # (sentence, every cue that fires: (label, tier, strong, the words it points at))
    ("A rebel commander said chlorine canisters were dropped on the village overnight.",
     [("Chemical weapon", "strong", True, "chlorine")]),
    ("A man blew himself up at the entrance of a crowded market.",
     [("Suicide bomb", "strong", True, "blew himself up")]),
    ("Warplanes struck a fuel depot on the edge of the city.", [("Air/drone strike", "strong", True, "warplanes")]),
    ("Government artillery pounded the hills above the valley.",
     [("Shelling/artillery/missile attack", "strong", True, "artillery")]),
    ("A roadside bomb hit a patrol on the highway to the airport.",
     [(IED, "strong", True, "roadside bomb"), (IED, "hint", False, "bomb")]),
    ("Someone tossed a hand grenade into the courtyard of the police station.",
     [("Grenade", "strong", True, "hand grenade")]),
    ("Gunmen kidnapped a priest and his driver on Tuesday.",
     [("Abduction/forced disappearance", "strong", True, "kidnapped")]),
    ("Police arrested the mayor on charges of inciting unrest.", [("Arrests", "strong", True, "arrested")]),
    ("Engineers defused a bomb left under a bridge.",
     [(IED, "hint", False, "bomb"), ("Disrupted weapons use", "strong", True, "defused")]),
    ("Troops recaptured the town after a week of heavy fighting.",
     [("Government regains territory", "strong", True, "recaptured"), ("Armed clash", "strong", True, "fighting")]),
    ("Rebels captured the border crossing on Sunday.",
     [("Non-state actor overtakes territory", "strong", True, "captured")]),
    ("The militia withdrew from the town overnight.",
     [("Non-violent transfer of territory", "strong", True, "withdrew from ")]),
    ("Both sides signed a ceasefire in the capital.", [("Agreement", "strong", True, "signed a")]),
    ("The army set up new checkpoints around the camp.",
     [("Headquarters or base established", "strong", True, "set up new checkpoints around the camp")]),
    ("Two armed factions announced that they would merge into one front.",
     [("Change to group/activity", "strong", True, "merge")]),
    ("Authorities imposed a curfew after the unrest.", [("Other", "strong", True, "curfew")]),
    ("Police fired live rounds at protesters, killing two.",
     [("Excessive force against protesters", "strong", True, "killing"),
      ("Peaceful protest", "strong", True, "protesters")]),
    ("Riot police used tear gas to disperse a protest outside parliament.",
     [("Protest with intervention", "strong", True, "disperse"), ("Peaceful protest", "strong", True, "protest")]),
    ("Hundreds of teachers marched to the ministry to demand higher pay.",
     [("Peaceful protest", "strong", True, "marched")]),
    ("Protesters threw stones at the governor's office and set fire to tyres.",
     [("Peaceful protest", "strong", True, "protesters"), ("Violent demonstration", "strong", True, "set fire")]),
    ("An angry mob lynched a suspected thief in the market.",
     [("Mob violence", "strong", True, "mob"), ("Mob violence", "strong", True, "lynched")]),
    ("Militiamen looted shops and torched houses in the village.",
     [("Looting/property destruction", "strong", True, "looted")]),
    ("Soldiers clashed with insurgents near the river crossing.", [("Armed clash", "strong", True, "clashed")]),
    ("Soldiers massacred villagers in the north, witnesses said.", [("Attack", "strong", True, "massacred")] * 3),
    ("Police intercepted two rockets over the city.",
     [("Shelling/artillery/missile attack", "strong", True, "rockets"),
      ("Disrupted weapons use", "strong", True, "intercepted two rockets")]),
    # cues that no event is: disasters and accidents veto, crime and diplomacy are strong NONE cues
    ("An earthquake killed dozens of people in the mountain villages.",
     [("Attack", "strong", True, "killed"), (NONE, "veto", True, "earthquake")]),
    ("A bus crashed into a truck on the highway, killing nine.", [(NONE, "veto", True, "bus crashed")]),
    ("Police seized a large haul of cocaine at the port.", [(NONE, "strong", True, "cocaine")]),
    ("The ambassador was summoned over the remarks.", [(NONE, "strong", True, "ambassador")]),
    ("The virus infected dozens of soldiers at the base.", [(NONE, "strong", True, "infected")]),
    ("The ministry signed a trade deal with its neighbour.",
     [("Agreement", "strong", True, "signed a"), (NONE, "strong", True, "trade deal")]),
    ("He agreed to an interview on condition of anonymity.",
     [("Agreement", "strong", True, "agreed"), (NONE, "strong", True, "agreed to an interview")]),
    # a trigger word that names no event, or only a hint
    ("The shell company was registered in a tax haven.", []),
    ("The report demonstrated that the policy had failed.", []),
    ("Riot police stood by as the crowd gathered.", []),
    ("Her new album is a real bomb, the critic wrote.", [(IED, "hint", False, "bomb")]),
    # the violence a protest is about is no event of its own
    ("Thousands protested against the massacre of villagers in the north.",
     [("Peaceful protest", "strong", True, "protested")]),
]


@pytest.mark.parametrize(("sentence", "expected"), FIRES, ids=[s[:40] for s, _ in FIRES])
def test_events_rules_which_cue_fires(sentence: str, expected: list[tuple[str, str, bool, str]]) -> None:
    low = sentence.lower()
    assert [(h.label, h.tier, h.strong, low[h.start : h.end]) for h in hits(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "trigger", "cause"),
    [
        ("Thousands protested against the massacre of villagers.", "massacre", True),
        ("Crowds gathered in memory of the students shot last year.", "shot", True),
        ("Residents denounced the shelling of the market.", "shelling", True),
        ("Soldiers massacred villagers and then protested their orders.", "massacred", False),
        ("The shelling of the market went on for hours.", "shelling", False),
    ],
)
def test_events_rules_is_cause(sentence: str, trigger: str, cause: bool) -> None:
    low = sentence.lower()
    assert is_cause(low, low.index(trigger)) is cause


def _hit(label: str, tier: str = "strong", start: int = 0) -> RuleHit:
    return RuleHit(label, tier, start, start + 5)


@pytest.mark.parametrize(
    ("probs", "found", "label"),
    [
        # a veto wins over any event cue
        ({"Attack": 0.9}, [_hit("Attack"), _hit(NONE, "veto")], NONE),
        # a strong NONE cue outranks the strategic developments crime and diplomacy also produce ...
        ({"Arrests": 0.9}, [_hit("Arrests"), _hit(NONE)], NONE),
        ({"Agreement": 0.9}, [_hit("Agreement"), _hit(NONE)], NONE),
        # ... but not violence
        ({NONE: 0.9}, [_hit("Attack"), _hit(NONE)], "Attack"),
        # among strong cues the more specific sub-event type (ACLED priority) wins, wherever it stands
        ({}, [_hit("Armed clash", start=0), _hit("Government regains territory", start=30)],
         "Government regains territory"),
        ({}, [_hit("Shelling/artillery/missile attack"), _hit("Air/drone strike", start=9)], "Air/drone strike"),
        ({"Armed clash": 0.99}, [_hit("Peaceful protest"), _hit("Excessive force against protesters", start=20)],
         "Excessive force against protesters"),
        # a strong NONE cue alone
        ({"Attack": 0.9}, [_hit(NONE)], NONE),
        # no strong cue: the classifier decides, a hint adds HINT_BONUS, an event needs CLASSIFIER_MIN
        ({"Armed clash": 0.8, NONE: 0.2}, [], "Armed clash"),
        ({"Armed clash": 0.4, NONE: 0.35}, [], NONE),
        ({"Armed clash": 0.4, NONE: 0.35}, [_hit("Armed clash", "hint")], "Armed clash"),
        ({"Armed clash": 0.2, NONE: 0.7}, [_hit("Armed clash", "hint")], NONE),
    ],
)
def test_events_rules_decide(probs: dict[str, float], found: list[RuleHit], label: str) -> None:
    assert decide(probs, found).label == label


def test_events_rules_decide_confidence_and_the_hit_it_rests_on() -> None:
    attack = _hit("Attack")
    alone, with_none = decide({}, [attack]), decide({}, [attack, _hit(NONE)])
    assert alone.hit == attack and with_none.hit == attack
    assert with_none.confidence == pytest.approx(alone.confidence - 0.1)  # a NONE cue beside it lowers it
    assert decide({"Attack": 1.0}, [attack]).confidence > alone.confidence
    hint = _hit("Armed clash", "hint")
    nudged = decide({"Armed clash": 0.4, NONE: 0.35}, [hint])
    assert nudged.hit == hint and nudged.confidence == pytest.approx(0.7 * (0.4 + HINT_BONUS))
    below = decide({"Armed clash": CLASSIFIER_MIN - 0.1, NONE: 0.3}, [])
    assert (below.label, below.hit) == (NONE, None) and below.confidence == pytest.approx(1 - CLASSIFIER_MIN + 0.1)
