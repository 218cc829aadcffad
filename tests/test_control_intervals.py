"""Territorial control from events and statements: the seed article's expectations and contests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashpoint.control import (
    ControlClaim,
    admin1_index,
    claims_from_events,
    control_by_actor,
    control_statements,
    derive_control,
    holder_on,
    summarise_region,
)
from flashpoint.pipeline import ArticleState
from flashpoint.records import (
    Actor,
    ActorMention,
    Article,
    DateSpan,
    Event,
    Evidence,
    GeoPrecision,
    Modality,
    Place,
    PlaceMention,
    Sentence,
    TimePrecision,
)
from flashpoint.temporal import publication_span

PUB = dt.date(2018, 5, 8)
HTS = Actor("Hayat Tahrir al-Sham", "rebel group", 2, "SYR", ("HTS",))
MNMC = Actor("Maarat al-Numan Military Council", "rebel group", 2, "SYR")
SYRIA = Actor("Military Forces of Syria (2000-)", "state forces", 1, "SYR", ("SAA",))
MAARAT = Place("Maarat al-Numan", 35.648, 36.672, 169389, "SY", "SYR", "Syria", "Idlib")
IDLIB = Place("Idlib", 35.931, 36.634, 169388, "SY", "SYR", "Syria", "Idlib")
YARMOUK = Place("Yarmouk Camp", 33.47, 36.303, None, "SY", "SYR", "Syria", "Damascus")

HANDOVER = "In southern Damascus, HTS was forced to surrender its positions in the Yarmouk Camp at the end of April."
MAARAT_TEXT = (
    "The people of Maarat al-Numan, a town south of Idlib city controlled by the coalition group the Maarat "
    "al-Numan Military Council, have been the most vocal against the presence of HTS, who have tried to "
    "infiltrate and capture the town on a number of occasions."
)


def _event(**kw: object) -> Event:
    base: dict[str, object] = dict(
        event_id="FP1", article_id="seed", event_date=dt.date(2018, 4, 25), time_precision=TimePrecision.WEEK,
        date_basis="explicit", disorder_type="Strategic developments", event_type="Strategic developments",
        sub_event_type="Non-violent transfer of territory", actor1="Hayat Tahrir al-Sham", assoc_actor_1=None,
        inter1=2, actor2=None, assoc_actor_2=None, inter2=None, interaction=20, civilian_targeting=None, iso=760,
        country="Syria", admin1="Damascus", admin2=None, admin3=None, location="Yarmouk Camp", latitude=33.47,
        longitude=36.303, geo_precision=GeoPrecision.TOWN, geonameid=None, fatalities=0, notes="",
        source=None, target=None, quantities=(), modality=Modality.ASSERTED, confidence=0.8,
        evidence=Evidence("seed", HANDOVER, 0, len(HANDOVER)),
    )
    base.update(kw)
    return Event(**base)  # type: ignore[arg-type]


def _state(text: str, actors: dict[str, Actor], places: dict[str, Place], published: dt.date | None = PUB
           ) -> ArticleState:
    sentences = []
    for i, m in enumerate(re.finditer(r"[^.]+\.", text)):
        s = m.start() + (len(m[0]) - len(m[0].lstrip()))
        sentences.append(Sentence(i, s, m.end(), text[s : m.end()]))

    def sentence_of(pos: int) -> int:
        return next(s.index for s in sentences if s.start <= pos < s.end)

    actor_mentions = [ActorMention(m.start(), m.end(), m[0], sentence_of(m.start()), actor, 0.95)
                      for surface, actor in actors.items() for m in re.finditer(re.escape(surface), text)]
    place_mentions = [PlaceMention(m.start(), m.end(), m[0], sentence_of(m.start()), place, 0.9)
                      for surface, place in places.items()
                      for m in re.finditer(rf"{re.escape(surface)}(?! Military)", text)]
    return ArticleState(Article("seed", text, published=published), sentences=tuple(sentences),
                        actor_mentions=tuple(actor_mentions), place_mentions=tuple(place_mentions))


def test_control_yarmouk_held_by_hts_before_the_handover_and_not_after():
    intervals = derive_control([_event()])
    before = holder_on(intervals, "Yarmouk Camp", dt.date(2018, 4, 15))
    assert before.holder == "Hayat Tahrir al-Sham"
    assert before.until is not None and dt.date(2018, 4, 21) <= before.until <= dt.date(2018, 4, 30)
    assert any("forced to surrender" in c.text and c.event_id == "FP1" for c in before.evidence)
    after = holder_on(intervals, "yarmouk camp", dt.date(2018, 5, 1))
    assert after.holder is None  # the article says HTS surrendered, not who took over
    assert after.since == before.until and after.evidence  # the evidence of why HTS no longer holds it


def test_control_gainer_by_acled_convention_and_loser_named_in_text():
    ev = _event(sub_event_type="Government regains territory", event_type="Battles",
                actor1="Military Forces of Syria (2000-)", inter1=1, actor2="Hayat Tahrir al-Sham", inter2=2)
    kinds = {(c.actor, c.kind) for c in claims_from_events([ev])}
    assert kinds == {("Military Forces of Syria (2000-)", "gains"), ("Hayat Tahrir al-Sham", "loses")}
    # the coder put the loser in actor1: the text names it as the one that surrendered
    swapped = dataclasses.replace(ev, actor1="Hayat Tahrir al-Sham", inter1=2,
                                  actor2="Military Forces of Syria (2000-)", inter2=1)
    intervals = derive_control([swapped])
    assert holder_on(intervals, "Yarmouk Camp", dt.date(2018, 5, 1)).holder == "Military Forces of Syria (2000-)"
    assert holder_on(intervals, "Yarmouk Camp", dt.date(2018, 4, 15)).holder == "Hayat Tahrir al-Sham"


def test_control_statement_controlled_by_gives_maarat_to_its_military_council():
    state = _state(MAARAT_TEXT, {"Maarat al-Numan Military Council": MNMC, "HTS": HTS},
                   {"Maarat al-Numan": MAARAT, "Idlib": IDLIB})
    claims = control_statements(state)
    assert [(c.place, c.actor, c.kind, c.scope) for c in claims] == [
        ("Maarat al-Numan", "Maarat al-Numan Military Council", "holds", "place")]
    assert claims[0].date.basis == "publication" and claims[0].date.event_date == PUB
    answer = holder_on(derive_control([], claims), "Maarat al-Numan", PUB)
    assert answer.holder == "Maarat al-Numan Military Council"
    assert answer.evidence[0].event_id is None and "controlled by" in answer.evidence[0].text
    # a failed capture attempt is not a loss; HTS gets no claim from this sentence
    assert holder_on(derive_control([], claims), "Maarat al-Numan", PUB).contested_by == ()


def test_control_statements_forms_and_skips():
    text = ("Rebels said HTS controls Saraqib. The town is under the control of HTS. "
            "HTS lost control of Jisr al-Shughur last week. HTS no longer holds Ariha. "
            "HTS holds areas in Idlib.")
    places = {name: Place(name, 35.8, 36.6, None, "SY", "SYR", "Syria", "Idlib")
              for name in ("Saraqib", "Jisr al-Shughur", "Ariha", "Idlib", "The town")}
    claims = control_statements(_state(text, {"HTS": HTS}, places))
    got = {(c.place, c.kind, c.scope) for c in claims}
    assert ("Saraqib", "holds", "place") in got
    assert ("The town", "holds", "place") in got
    assert ("Jisr al-Shughur", "loses", "place") in got
    assert ("Idlib", "holds", "part") in got
    assert not any(c.place == "Ariha" for c in claims)
    loss = next(c for c in claims if c.place == "Jisr al-Shughur")
    assert loss.date.precision == TimePrecision.WEEK  # "last week" in the sentence dates the statement


@pytest.mark.parametrize(
    "text",
    [
        "John Cantlie, a British journalist held by HTS since 2012, appeared in a video in Saraqib.",
        "The town of Saraqib was under the control of HTS until 2016.",
        "Fighting will continue after HTS is finally pushed from Saraqib.",
        "Russia says HTS controls Syria's north.",  # a country is not a place control is claimed of
        "The information held by HTS about Saraqib was leaked.",
    ],
)
def test_control_statements_that_are_not_claims(text):
    places = {"Saraqib": Place("Saraqib", 35.86, 36.8, 1, "SY", "SYR", "Syria", "Idlib", feature_code="PPL"),
              "Syria": Place("Syria", 35.0, 38.0, 163843, "SY", "SYR", "Syria", feature_code="PCLI")}
    assert control_statements(_state(text, {"HTS": HTS}, places)) == []


def test_control_statements_need_a_publication_date_or_a_dated_sentence():
    state = _state("The town of Saraqib is held by HTS.", {"HTS": HTS},
                   {"Saraqib": Place("Saraqib", 35.86, 36.8)}, published=None)
    assert control_statements(state) == []


def _claim(actor: str, day: dt.date, kind: str = "holds", conf: float = 0.8, place: str = "Saraqib") -> ControlClaim:
    return ControlClaim(place, actor, kind, DateSpan(day, day, TimePrecision.DAY, "explicit"), conf,
                        Evidence("a", f"{actor} {kind} {place}", 0, 5), admin1="Idlib")


def test_control_conflicting_claims_are_shown_not_hidden():
    claims = [_claim("Hayat Tahrir al-Sham", dt.date(2018, 3, 1), conf=0.9),
              _claim("National Liberation Front", dt.date(2018, 3, 5), conf=0.6)]
    answer = holder_on(derive_control([], claims), "Saraqib", dt.date(2018, 3, 10))
    assert answer.holder == "Hayat Tahrir al-Sham"
    assert answer.contested_by == ("National Liberation Front",)


def test_control_gain_ends_the_previous_holder_and_region_summary():
    claims = [_claim("Hayat Tahrir al-Sham", dt.date(2018, 1, 10)),
              _claim("Military Forces of Syria (2000-)", dt.date(2018, 2, 1), "gains"),
              _claim("Hayat Tahrir al-Sham", dt.date(2018, 1, 10), place="Ariha"),
              _claim("Other", dt.date(2018, 1, 10), place="Douma")]
    claims[-1] = dataclasses.replace(claims[-1], admin1="Rif Dimashq")
    intervals = derive_control([], claims)
    assert holder_on(intervals, "Saraqib", dt.date(2018, 1, 20)).holder == "Hayat Tahrir al-Sham"
    assert holder_on(intervals, "Saraqib", dt.date(2018, 2, 1)).holder == "Military Forces of Syria (2000-)"
    summary = summarise_region(intervals, "Idlib", dt.date(2018, 2, 5), admin1_of=admin1_index(claims))
    assert summary.holders == {"Military Forces of Syria (2000-)": 1, "Hayat Tahrir al-Sham": 1}
    assert summary.unknown == 0 and len(summary.places) == 2
    months = control_by_actor(intervals, "hayat tahrir al sham")
    assert [(m.period, m.places, m.lost) for m in months] == [
        ("2018-01", ("Ariha", "Saraqib"), 0), ("2018-02", ("Ariha",), 1)]


def test_control_unknown_place_answers_nothing():
    answer = holder_on([], "Atlantis", PUB)
    assert (answer.holder, answer.evidence, answer.confidence) == (None, (), 0.0)


def test_control_publication_dated_agreement_marks_surrendering_side():
    text = "As part of their surrender deal with the SAA, 5,000 militants will be evacuated to Idlib."
    deal = _event(sub_event_type="Agreement", actor2="Military Forces of Syria (2000-)", inter2=1,
                  event_date=PUB, time_precision=TimePrecision.MONTH, date_basis="publication",
                  evidence=Evidence("seed", text, 0, len(text)))
    assert [(c.actor, c.kind) for c in claims_from_events([deal])] == [("Hayat Tahrir al-Sham", "loses")]
    assert publication_span(PUB).event_date == PUB


_actors = st.sampled_from(["A", "B", "C"])


@given(st.lists(st.tuples(st.integers(0, 300), _actors), min_size=1, max_size=10, unique_by=lambda t: t[0]),
       st.integers(0, 320))
def test_control_holder_is_the_last_gainer(gains, query):
    start = dt.date(2018, 1, 1)
    claims = [_claim(a, start + dt.timedelta(days=d), "gains") for d, a in gains]
    intervals = derive_control([], claims)
    day = start + dt.timedelta(days=query)
    before = [(d, a) for d, a in sorted(gains) if d <= query]
    answer = holder_on(intervals, "Saraqib", day)
    assert answer.holder == (before[-1][1] if before else None)
    for iv in intervals:  # intervals never run backwards and one actor's never overlap
        assert iv.start is None or iv.end is None or iv.start <= iv.end
    assert not answer.contested_by


def test_control_second_report_of_a_loss_adds_evidence_not_an_interval():
    handover = _event()
    statement = ControlClaim("Yarmouk Camp", "Hayat Tahrir al-Sham", "loses", publication_span(PUB), 0.7,
                             Evidence("other", "HTS has recently lost its territory in the Yarmouk camp.", 0, 50))
    intervals = derive_control([handover], [statement])
    assert len(intervals) == 1
    assert [e.article_id for e in intervals[0].evidence] == ["seed", "other"]
    assert intervals[0].event_ids == ("FP1", "")


def test_control_statement_place_after_into_is_the_head():
    text = "A victory would open a corridor into Idlib province, controlled by HTS and under regime assault."
    places = {"Idlib": Place("Idlib", 35.9, 36.6, 169387, "SY", "SYR", "Syria", "Idlib", feature_code="ADM1")}
    claims = control_statements(_state(text, {"HTS": HTS}, places))
    assert [(c.place, c.kind) for c in claims] == [("Idlib", "holds")]


def test_control_events_placed_only_in_a_region_change_no_control():
    region = _event(geo_precision=GeoPrecision.REGION, location="Idlib", admin1="Idlib")
    assert claims_from_events([region]) == []
