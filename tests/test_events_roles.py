"""ACLED's definitional role conventions (flashpoint.events.roles.conventions), applied after the argument
model's choice: a table of sentences written for these tests, unparsed unless a parse is needed."""

from __future__ import annotations

import pytest

from flashpoint.events.roles import Roles, article_country, conventions
from flashpoint.records import Actor, ActorMention, Token

POLICE = Actor("Police Forces of Kenya", "state forces", 1, "KEN")
MILITIA = Actor("Jade Hills Militia", "communal militia", 4, "KEN")
GOVERNMENT = Actor("Government of Kenya", "state government", 1, "KEN")
REBELS = Actor("Northern Front", "rebel group", 2, "KEN")


def mention(text: str, word: str, actor: Actor) -> ActorMention:
    start = text.index(word)
    return ActorMention(start, start + len(word), word, 0, actor, 0.9)


def trigger(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return (start, start + len(word))


def apply(sub: str, text: str, verb: str, agent: ActorMention | None, patient: ActorMention | None,
          tokens: tuple[Token, ...] = ()) -> Roles:
    named = [m for m in (agent, patient) if m is not None]
    return conventions(sub, text, 0, 0, tokens, named, trigger(text, verb), "KEN", agent, patient)


@pytest.mark.parametrize(("sub", "text", "verb", "agent", "patient", "expected"), [
    # protesters are actor1 whatever was chosen; the force that intervenes is actor2
    ("Excessive force against protesters", "Police fired on students marching in the capital.", "fired",
     ("Police", POLICE), ("students", None), ("Protesters (Kenya)", "Police Forces of Kenya", None)),
    # a peaceful protest has no actor2; the organised actor named is whom it is against
    ("Peaceful protest", "Traders marched against the Jade Hills Militia on Friday.", "marched",
     None, ("Jade Hills Militia", MILITIA), ("Protesters (Kenya)", None, "Jade Hills Militia")),
    # rioters: the crowd is actor1, the other side actor2
    ("Violent demonstration", "A mob stoned police vehicles in the market.", "stoned",
     None, ("police", POLICE), ("Rioters (Kenya)", "Police Forces of Kenya", None)),
    # violence against civilians: the victims are civilians, the chosen patient becomes the perpetrator
    ("Attack", "The Northern Front killed four villagers near the well.", "killed",
     ("Northern Front", REBELS), None, ("Northern Front", "Civilians (Kenya)", None)),
    ("Attack", "Four villagers were killed by the Jade Hills Militia.", "killed",
     None, ("Jade Hills Militia", MILITIA), ("Jade Hills Militia", "Civilians (Kenya)", None)),
    # a government that fights, shells or attacks is its military (ACLED names no "Government of" there)
    ("Air/drone strike", "The government bombed the Northern Front's camp.", "bombed",
     ("government", GOVERNMENT), ("Northern Front", REBELS), ("Military Forces of Kenya", "Northern Front", None)),
    ("Armed clash", "The Northern Front fought the government near the well.", "fought",
     ("Northern Front", REBELS), ("government", GOVERNMENT), ("Northern Front", "Military Forces of Kenya", None)),
    # ... but signs agreements as the government
    ("Agreement", "The government signed a truce with the Northern Front.", "signed",
     ("government", GOVERNMENT), ("Northern Front", REBELS), ("Government of Kenya", "Northern Front", None)),
    # one actor is never both sides
    ("Armed clash", "The Northern Front fought the Northern Front's breakaway unit.", "fought",
     ("Northern Front", REBELS), ("Northern Front", REBELS), ("Northern Front", None, None)),
])
def test_events_roles_conventions(sub: str, text: str, verb: str, agent: tuple[str, Actor | None] | None,
                                  patient: tuple[str, Actor | None] | None,
                                  expected: tuple[str | None, str | None, str | None]) -> None:
    def made(given: tuple[str, Actor | None] | None) -> ActorMention | None:
        if given is None or given[1] is None:
            return None
        return mention(text, given[0], given[1])

    roles = apply(sub, text, verb, made(agent), made(patient))
    names = tuple(m.actor.name if m is not None else None for m in (roles.actor1, roles.actor2, roles.target))
    assert names == expected


def test_events_roles_generic_actors_point_at_their_words() -> None:
    text = "Police fired on students marching in the capital."
    roles = apply("Excessive force against protesters", text, "fired", mention(text, "Police", POLICE), None)
    assert roles.actor1 is not None and text[roles.actor1.start:roles.actor1.end] == "students"
    assert roles.actor1.actor.inter == 6


def test_events_roles_a_side_that_surrenders_is_not_the_gaining_side() -> None:
    text = "The Northern Front surrendered the town to the police."
    tokens = (
        Token(0, 0, 3, "The", "the", "DET", "DT", "det", 2, 0),
        Token(1, 4, 12, "Northern", "Northern", "PROPN", "NNP", "compound", 2, 0),
        Token(2, 13, 18, "Front", "Front", "PROPN", "NNP", "nsubj", 3, 0),
        Token(3, 19, 30, "surrendered", "surrender", "VERB", "VBD", "ROOT", 3, 0),
    )
    roles = apply("Non-violent transfer of territory", text, "surrendered",
                  mention(text, "Northern Front", REBELS), mention(text, "police", POLICE), tokens)
    assert (roles.actor1.actor.name, roles.actor2.actor.name) == ("Police Forces of Kenya", "Northern Front")  # type: ignore[union-attr]


def test_events_roles_article_country_is_the_commonest() -> None:
    text = "Police and the Jade Hills Militia met rebels."
    named = [mention(text, "Police", POLICE), mention(text, "Jade Hills Militia", MILITIA),
             mention(text, "rebels", Actor("Rebels", "rebel group", 2, "SOM"))]
    assert article_country(named) == "KEN"
    assert article_country([]) is None


@pytest.mark.slow
def test_events_roles_generic_actors_take_the_event_country() -> None:
    from flashpoint.coder import Coder

    text = "Russian warplanes struck a market in Maarat al-Numan on Monday, killing 12 civilians."
    (event,) = Coder().code(text, published="2019-03-04")
    # the article's actors are Russian; the civilians are those of the country the event happens in
    assert (event.actor1, event.actor2, event.country) == ("Military Forces of Russia", "Civilians (Syria)", "Syria")
    assert event.inter2 == 7
