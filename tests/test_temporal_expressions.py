"""Date expressions resolved against a publication date (Tuesday 2018-05-08, the seed article's)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashpoint.records import DateSpan, TimePrecision
from flashpoint.temporal import find_dates, publication_span, resolve_date

PUB = dt.date(2018, 5, 8)  # a Tuesday
D = dt.date
DAY, WEEK, MONTH = TimePrecision.DAY, TimePrecision.WEEK, TimePrecision.MONTH


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "basis"),
    [
        # explicit dates
        ("Rebels shelled the town on 23 April.", D(2018, 4, 23), D(2018, 4, 23), DAY, "explicit"),
        ("The attack on May 3, 2018 killed five.", D(2018, 5, 3), D(2018, 5, 3), DAY, "explicit"),
        ("It happened on 23/04/2018.", D(2018, 4, 23), D(2018, 4, 23), DAY, "explicit"),
        ("It happened on 2018-04-23.", D(2018, 4, 23), D(2018, 4, 23), DAY, "explicit"),
        ("The 23rd of April was calm.", D(2018, 4, 23), D(2018, 4, 23), DAY, "explicit"),
        ("The siege began in April 2018.", D(2018, 4, 1), D(2018, 4, 30), MONTH, "explicit"),
        ("The siege began in December.", D(2017, 12, 1), D(2017, 12, 31), MONTH, "explicit"),
        ("The siege began in Dec. 2017.", D(2017, 12, 1), D(2017, 12, 31), MONTH, "explicit"),
        # parts of months: ten-day thirds, week precision; the end of a month is its last days
        ("HTS surrendered its positions at the end of April.", D(2018, 4, 21), D(2018, 4, 30), WEEK, "explicit"),
        ("Talks failed at the end of February.", D(2018, 2, 21), D(2018, 2, 28), WEEK, "explicit"),
        ("Fighting resumed in early April.", D(2018, 4, 1), D(2018, 4, 10), WEEK, "explicit"),
        ("Fighting resumed in mid-April.", D(2018, 4, 11), D(2018, 4, 20), WEEK, "explicit"),
        ("Fighting resumed in late March.", D(2018, 3, 21), D(2018, 3, 31), WEEK, "explicit"),
        ("Fighting resumed late last month.", D(2018, 4, 21), D(2018, 4, 30), WEEK, "relative"),
        ("Fighting resumed in early May.", D(2018, 5, 1), D(2018, 5, 8), WEEK, "explicit"),
        # ranges
        ("Clashes raged between 3 and 5 May.", D(2018, 5, 3), D(2018, 5, 5), WEEK, "explicit"),
        ("Clashes raged May 3-5.", D(2018, 5, 3), D(2018, 5, 5), WEEK, "explicit"),
        ("Clashes raged from 28 April to 2 May.", D(2018, 4, 28), D(2018, 5, 2), WEEK, "explicit"),
        ("Clashes raged from 1 to 20 April.", D(2018, 4, 1), D(2018, 4, 20), MONTH, "explicit"),
        # weekdays: the most recent one on or before publication
        ("Jets struck the town on Monday.", D(2018, 5, 7), D(2018, 5, 7), DAY, "relative"),
        ("Jets struck the town on Wednesday night.", D(2018, 5, 2), D(2018, 5, 2), DAY, "relative"),
        ("Jets strike the town on Tuesday, residents say.", PUB, PUB, DAY, "relative"),
        ("Jets struck the town last Tuesday.", D(2018, 5, 1), D(2018, 5, 1), DAY, "relative"),
        ("Ministers will meet on Friday.", D(2018, 5, 11), D(2018, 5, 11), DAY, "relative"),
        # deictic days
        ("Five people were killed yesterday.", D(2018, 5, 7), D(2018, 5, 7), DAY, "relative"),
        ("Five people were killed today.", PUB, PUB, DAY, "relative"),
        ("Five people were killed last night.", D(2018, 5, 7), D(2018, 5, 7), DAY, "relative"),
        ("Five were killed the day before yesterday.", D(2018, 5, 6), D(2018, 5, 6), DAY, "relative"),
        ("Five were killed three days ago.", D(2018, 5, 5), D(2018, 5, 5), DAY, "relative"),
        ("Five were killed two weeks ago.", D(2018, 4, 21), D(2018, 4, 27), WEEK, "relative"),
        ("Five were killed on the 3rd.", D(2018, 5, 3), D(2018, 5, 3), DAY, "relative"),
        # weeks and months relative to publication
        ("The town fell last week.", D(2018, 4, 30), D(2018, 5, 6), WEEK, "relative"),
        ("The town fell the previous week.", D(2018, 4, 30), D(2018, 5, 6), WEEK, "relative"),
        ("The town fell earlier this week.", D(2018, 5, 7), D(2018, 5, 7), DAY, "relative"),
        ("The town fell over the weekend.", D(2018, 5, 5), D(2018, 5, 6), WEEK, "relative"),
        ("The town fell last month.", D(2018, 4, 1), D(2018, 4, 30), MONTH, "relative"),
        ("The town fell earlier this month.", D(2018, 5, 1), D(2018, 5, 7), WEEK, "relative"),
        ("Dozens died in the past 48 hours.", D(2018, 5, 6), PUB, WEEK, "relative"),
        ("Dozens died in the last 24 hours.", D(2018, 5, 7), PUB, WEEK, "relative"),
        ("Dozens died over the past two weeks.", D(2018, 4, 24), PUB, MONTH, "relative"),
        ("Dozens died in recent days.", D(2018, 5, 2), PUB, WEEK, "relative"),
    ],
)
def test_temporal_expressions_resolve(text, start, end, precision, basis):
    date = resolve_date(text, PUB)
    assert date is not None, text
    assert (date.start, date.end, date.precision, date.basis) == (start, end, precision, basis)
    assert date.text is not None and date.span is not None
    assert text[date.span[0] : date.span[1]] == date.text


@pytest.mark.parametrize(
    "text",
    [
        "HTS has recently lost its territory in the camp.",
        "Protests that have previously been organised were met with live rounds.",
        "HTS tried to capture the town on a number of occasions.",
        "Fighting has raged in recent weeks.",
        "The group was founded in 2016.",
        "The group was weaker last year.",
        "Officials may meet to march on the capital.",  # lower-case may/march are not months
        "“We have come out today to tell them to leave,” said a protester.",  # speaker's today
        "No date here at all.",
    ],
)
def test_temporal_expressions_vague_or_absent_give_none(text):
    assert resolve_date(text, PUB) is None


def test_temporal_expressions_vague_forms_are_found_as_vague():
    found = find_dates("Protests previously and recently, on a number of occasions.", PUB)
    assert [(m.text, m.vague) for m in found] == [
        ("previously", True), ("recently", True), ("on a number of occasions", True)]
    assert all(m.date is None for m in found)


def test_temporal_expressions_offset_indexes_the_article():
    article = "Headline.\n\nIn southern Damascus, HTS surrendered at the end of April."
    start = article.index("In southern")
    date = resolve_date(article[start:], PUB, offset=start)
    assert date is not None and date.span is not None
    assert article[date.span[0] : date.span[1]] == "at the end of April"


def test_temporal_expressions_most_precise_date_wins():
    date = resolve_date("After the siege began in March, jets struck on 2 April.", PUB)
    assert date is not None and (date.start, date.precision) == (D(2018, 4, 2), DAY)


def test_temporal_expressions_year_inferred_near_publication():
    assert resolve_date("on 30 December", D(2018, 1, 4)).start == D(2017, 12, 30)
    # a month well after publication in a past-tense sentence is last year's
    assert resolve_date("in November", D(2018, 5, 8)).start == D(2017, 11, 1)
    assert resolve_date("on 23 May", D(2018, 5, 8)).start == D(2018, 5, 23)  # announced, two weeks on


def test_temporal_expressions_invalid_day_is_not_a_date():
    assert resolve_date("on 31 April", PUB) is None


def test_temporal_publication_span_is_month_precision_up_to_publication():
    span = publication_span(PUB)
    assert (span.end, span.precision, span.basis) == (PUB, MONTH, "publication")
    assert span.event_date == PUB
    assert span.start < PUB


def test_temporal_event_date_of_week_is_the_middle_never_the_first_day():
    end_of_april = resolve_date("at the end of April", PUB)
    assert end_of_april is not None and end_of_april.event_date == D(2018, 4, 25)
    assert DateSpan(D(2018, 4, 23), D(2018, 4, 23), DAY, "explicit").event_date == D(2018, 4, 23)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)),
       st.sampled_from(["yesterday", "on Monday", "on Sunday", "last week", "last month", "earlier this month",
                        "in the past 48 hours", "over the weekend", "late last month", "three days ago"]))
def test_temporal_expressions_past_relative_dates_never_after_publication(published, text):
    date = resolve_date(f"Rebels attacked {text}.", published)
    assert date is not None
    assert date.start <= date.end <= published
    assert date.start <= date.event_date <= date.end


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)),
       st.sampled_from(["January", "February", "March", "April", "May", "June", "July", "August", "September",
                        "October", "November", "December"]))
def test_temporal_expressions_end_of_month_is_its_last_days(published, month):
    date = resolve_date(f"The town fell at the end of {month} {published.year}.", published)
    assert date is not None and date.precision == WEEK
    assert date.start.day == 21
    assert (date.end + dt.timedelta(days=1)).day == 1 or date.end == published


@pytest.mark.parametrize("text", ["She spent the past eight months on the front.", "Over the past four years.",
                                  "In early 2015 he fled.", "Fighting from 1 March to 20 May."])
def test_temporal_expressions_spans_beyond_a_month_are_found_unresolved(text):
    found = find_dates(text, PUB)
    assert found and all(m.date is None and not m.vague for m in found)
    assert resolve_date(text, PUB) is None


def test_temporal_expressions_fuzzy_counts_are_windows():
    date = resolve_date("A few weeks ago there was an argument.", PUB)
    assert date is not None and date.precision == MONTH and date.end < PUB
    assert resolve_date("Parker warned last week of an upshift.", PUB).precision == WEEK


def test_temporal_expressions_next_week_and_month_look_forward():
    week = resolve_date("The planned UN talks next week are designed to...", PUB)
    assert week is not None and (week.start, week.end, week.precision) == (D(2018, 5, 14), D(2018, 5, 20), WEEK)
    month = resolve_date("Elections are due next month.", PUB)
    assert month is not None and (month.start, month.end) == (D(2018, 6, 1), D(2018, 6, 30))
