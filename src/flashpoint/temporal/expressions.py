"""Date expressions in English news text, resolved against the publication date.

Every expression found becomes a :class:`DateMention`: its offsets, whether it is *relative* (its
meaning depends on when it was said: "yesterday", "on Monday", "last week"), and either a
:class:`~flashpoint.records.DateSpan` or ``vague=True`` ("recently", "previously", "on a number of
occasions": the text dates the event only as "before publication").

Conventions (ACLED's ``time_precision``: 1 day, 2 week, 3 month):

- a named day ("on 23 May", "23/05/2018", "on Monday", "yesterday") is precision DAY;
- a part of a month is a ten-day third of it, precision WEEK: "early May" and "the beginning of
  May" are the 1st..10th, "mid-May" the 11th..20th, "late May" and "the end of May" the 21st..last
  day ("end of the month means the last days", never a single made-up day);
- a week ("last week" = the previous Monday..Sunday, "last weekend") is precision WEEK;
- a month ("in April 2018", "last month") is precision MONTH;
- windows counted back from publication ("in the past 48 hours", "earlier this month") take the
  precision their length allows: one day DAY, up to ten days WEEK, longer MONTH;
- a year alone ("in 2016", "last year", "early 2015") or any span longer than 31 days ("the past
  eight months", "over the past four years") cannot be coded at ACLED's precisions: it is found but
  not resolved (``date`` None, ``vague`` False);
- a day or month given without a year is the most recent one on or before publication (a day up to
  seven days after publication is kept in the publication year: announced dates), unless the
  sentence speaks of the future ("will", "next", "is due to" ...);
- weekdays: "on Monday" is the most recent Monday on or before the publication day (a Monday
  article's "on Monday" is that day); "last Monday" excludes the publication day; "next Monday" or
  a future tense before it looks forward.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from flashpoint.records import DateBasis, DateSpan, TimePrecision

# ----------------------------------------------------------------------------------------------
# vocabulary

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"),
    start=1,
):
    _MONTHS[_name] = _i
    _MONTHS[_name[:3]] = _i
_MONTHS["sept"] = 9

_WEEKDAYS = {name: i for i, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty-eight": 48, "couple of": 2, "few": 3, "several": 4,
    "a couple of": 2, "a few": 3,
}

_MON = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
        r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM = (r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen"
        r"|fifteen|twenty|thirty|forty-eight|(?:a\s+)?couple\s+of|(?:a\s+)?few|several)")
_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|next|is\s+due|are\s+due|due\s+to|expected\s+to|scheduled|plans?\s+to|"
    r"planned|set\s+to|upcoming|would\s+be\s+held)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date expression found in a text.

    ``date`` is None for vague expressions (``vague`` True) and for years alone. ``relative``
    expressions depend on the moment of speaking: inside a quotation they refer to the day the
    speaker spoke, not to the publication date, so callers skip them there.
    """

    start: int
    end: int
    text: str
    date: DateSpan | None
    relative: bool
    vague: bool = False
    year: int | None = None  # the year of a year-level expression ("in 2014", "last year")


# ----------------------------------------------------------------------------------------------
# helpers


def _last_day(year: int, month: int) -> int:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def _month(token: str) -> int | None:
    """The month number of a month token, or None (lower-case "may"/"march" are not months)."""
    if not token[:1].isupper():
        return None
    return _MONTHS.get(token.rstrip(".").lower())


def _number(token: str) -> int:
    token = re.sub(r"\s+", " ", token.lower())
    return int(token) if token.isdigit() else _NUMBERS[token]


def _precision_for(start: dt.date, end: dt.date) -> TimePrecision:
    days = (end - start).days + 1
    if days <= 1:
        return TimePrecision.DAY
    if days <= 10:
        return TimePrecision.WEEK
    return TimePrecision.MONTH


def _span(start: dt.date, end: dt.date, precision: TimePrecision | None, basis: DateBasis) -> DateSpan:
    if end < start:
        start, end = end, start
    return DateSpan(start, end, precision if precision is not None else _precision_for(start, end), basis)


def _day_of(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest(make: Callable[[int], dt.date | None], published: dt.date, future: bool) -> dt.date | None:
    """The date ``make(year)`` gives for the year that puts it nearest the publication date.

    A date after publication counts double its distance (news reports the past more than the
    future) unless the sentence speaks of the future, where only dates on or after publication count.
    Ties go to the past.
    """
    best: tuple[int, dt.date] | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        date = make(year)
        if date is None:
            continue
        days = (date - published).days
        if future and days < 0:
            continue
        cost = 2 * days if days > 0 and not future else abs(days)
        if best is None or cost < best[0] or (cost == best[0] and date < best[1]):
            best = (cost, date)
    return best[1] if best else None


def _infer_year_day(month: int, day: int, published: dt.date, future: bool) -> dt.date | None:
    """A day given without its year: the nearest such day (see :func:`_nearest`)."""
    return _nearest(lambda y: _day_of(y, month, day), published, future)


def _infer_year_month(month: int, published: dt.date, future: bool) -> int:
    """A month given without its year: the year of the nearest such month (compared by its 15th)."""
    date = _nearest(lambda y: dt.date(y, month, 15), published, future)
    assert date is not None
    return date.year


def _year(token: str | None) -> int | None:
    return int(token) if token else None


# ----------------------------------------------------------------------------------------------
# the patterns: each returns a DateSpan, or None when the match turns out not to be a date

Handler = Callable[["re.Match[str]", dt.date, bool], DateSpan | None]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler | None  # None: a vague expression
    relative: bool
    year_only: bool = False


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _h_day_month(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    month = _month(m["mon"])
    if month is None:
        return None
    day = int(re.sub(r"\D", "", m["day"]))
    year = _year(m["year"])
    date = _day_of(year, month, day) if year else _infer_year_day(month, day, pub, future)
    return _span(date, date, TimePrecision.DAY, DateBasis.EXPLICIT) if date else None


def _range(d1: str, mon1: str | None, d2: str, mon: str, year: str | None, pub: dt.date,
           future: bool) -> DateSpan | None:
    month2 = _month(mon)
    month1 = _month(mon1) if mon1 else month2
    if month1 is None or month2 is None:
        return None
    day1 = int(re.sub(r"\D", "", d1))
    day2 = int(re.sub(r"\D", "", d2))
    end = _day_of(int(year), month2, day2) if year else _infer_year_day(month2, day2, pub, future)
    if end is None:
        return None
    start = _day_of(end.year - (month1 > month2), month1, day1)
    if start is None or start > end:
        return None
    return _span(start, end, None, DateBasis.EXPLICIT)


def _h_day_range(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    """"between 3 and 5 May", "28 April to 2 May"."""
    return _range(m["d1"], m["mon1"], m["d2"], m["mon"], m["year"], pub, future)


def _h_month_day_range(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    """"May 3-5", "April 28 to May 2"."""
    first, second = m["mon"], m["mon2"] or m["mon"]
    return _range(m["d1"], first, m["d2"], second, m["year"], pub, future)


def _h_numeric(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if y < 100:
        y += 2000
    day, month = (a, b) if a > 12 or b <= 12 else (b, a)  # day first (British), unless impossible
    date = _day_of(y, month, day)
    return _span(date, date, TimePrecision.DAY, DateBasis.EXPLICIT) if date else None


def _h_iso(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    date = _day_of(int(m["y"]), int(m["mo"]), int(m["d"]))
    return _span(date, date, TimePrecision.DAY, DateBasis.EXPLICIT) if date else None


def _month_ref(m: re.Match[str], pub: dt.date, future: bool) -> tuple[int, int, DateBasis] | None:
    """(year, month, basis) of a month reference: a month name or last/this/next month."""
    ref = m["ref"].lower() if m["ref"] else ""
    if ref.startswith("last"):
        first = pub.replace(day=1) - dt.timedelta(days=1)
        return first.year, first.month, DateBasis.RELATIVE
    if ref.startswith("this") or ref == "the month":
        return pub.year, pub.month, DateBasis.RELATIVE
    if ref.startswith("next"):
        nxt = pub.replace(day=_last_day(pub.year, pub.month)) + dt.timedelta(days=1)
        return nxt.year, nxt.month, DateBasis.RELATIVE
    month = _month(m["mon"])
    if month is None:
        return None
    year = _year(m["year"]) or _infer_year_month(month, pub, future)
    prep = (m["prep"] or "").lower() if "prep" in m.re.groupindex else ""
    if prep == "last" and not m["year"] and year == pub.year and month == pub.month:
        year -= 1
    return year, month, DateBasis.EXPLICIT


_PARTS = {
    "early": (1, 10), "beginning": (1, 10), "start": (1, 10), "first week": (1, 7),
    "mid": (11, 20), "middle": (11, 20),
    "late": (21, 31), "end": (21, 31), "last days": (21, 31), "final days": (21, 31),
    "closing days": (21, 31), "last week": (-7, 31), "final week": (-7, 31),
    "first half": (1, 15), "second half": (16, 31),
}


def _h_part(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    ref = _month_ref(m, pub, future)
    if ref is None:
        return None
    year, month, basis = ref
    part = re.sub(r"\s+", " ", m["part"].lower()).removesuffix(" of").removeprefix("the ").strip(" -")
    lo, hi = _PARTS[part]
    last = _last_day(year, month)
    start = dt.date(year, month, last + lo + 1 if lo < 0 else lo)
    end = dt.date(year, month, min(hi, last))
    if start <= pub < end and not future:
        end = pub
    precision = TimePrecision.MONTH if part in {"first half", "second half"} else TimePrecision.WEEK
    return _span(start, end, precision, basis)


def _h_month(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    if not m["year"] and not m["prep"]:
        return None  # a bare month name ("March", "May") is too often something else
    ref = _month_ref(m, pub, future)
    if ref is None:
        return None
    year, month, basis = ref
    start = dt.date(year, month, 1)
    end = dt.date(year, month, _last_day(year, month))
    if start <= pub < end and not future:
        end = pub
    return _span(start, end, TimePrecision.MONTH, basis)


def _h_weekday(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    if not m["wd"][:1].isupper():
        return None
    wd = _WEEKDAYS[m["wd"].lower()]
    mod = (m["mod"] or "").lower()
    if mod == "next" or (future and mod != "last"):
        ahead = (wd - pub.weekday()) % 7 or 7
        date = pub + dt.timedelta(days=ahead)
    else:
        back = (pub.weekday() - wd) % 7
        if mod == "last" and back == 0:
            back = 7
        date = pub - dt.timedelta(days=back)
    return _span(date, date, TimePrecision.DAY, DateBasis.RELATIVE)


def _h_deictic_day(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    word = re.sub(r"\s+", " ", m[0].lower())
    if "before yesterday" in word:
        date = pub - dt.timedelta(days=2)
    elif "yesterday" in word or word in {"last night", "overnight"}:
        date = pub - dt.timedelta(days=1)
    elif "tomorrow" in word:
        date = pub + dt.timedelta(days=1)
    else:  # today, tonight, this morning, earlier today
        date = pub
    return _span(date, date, TimePrecision.DAY, DateBasis.RELATIVE)


_FUZZY = re.compile(r"few|several|couple", re.IGNORECASE)


def _h_ago(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    n = _number(m["n"])
    unit = m["unit"].lower().rstrip("s")
    if _FUZZY.search(m["n"]):  # "a few days/weeks ago": a window, not a point
        days = {"day": 1, "week": 7, "month": 30}[unit]
        start, end = pub - dt.timedelta(days=days * (n + 2)), pub - dt.timedelta(days=days * max(1, n - 1))
        return _span(start, end, None, DateBasis.RELATIVE)
    if unit == "day":
        date = pub - dt.timedelta(days=n)
        return _span(date, date, TimePrecision.DAY, DateBasis.RELATIVE)
    if unit == "week":
        mid = pub - dt.timedelta(days=7 * n)
        return _span(mid - dt.timedelta(days=3), min(mid + dt.timedelta(days=3), pub), TimePrecision.WEEK,
                     DateBasis.RELATIVE)
    mid = pub - dt.timedelta(days=30 * n)
    return _span(mid - dt.timedelta(days=15), min(mid + dt.timedelta(days=15), pub), TimePrecision.MONTH,
                 DateBasis.RELATIVE)


def _h_week(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    which = re.sub(r"\s+", " ", m["which"].lower()).replace("the previous", "last")
    unit = m["unit"].lower()
    earlier = bool(m["earlier"])
    if unit == "weekend":
        saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
        if which == "last" and pub.weekday() >= 5:
            saturday -= dt.timedelta(days=7)
        if which == "next":
            saturday = pub + dt.timedelta(days=(5 - pub.weekday()) % 7 or 7)
            return _span(saturday, saturday + dt.timedelta(days=1), TimePrecision.WEEK, DateBasis.RELATIVE)
        return _span(saturday, min(saturday + dt.timedelta(days=1), pub), TimePrecision.WEEK, DateBasis.RELATIVE)
    if which == "the":
        return None  # "the week", "the month": not a reference by itself
    if which == "next":
        if unit == "week":
            monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=7)
            return _span(monday, monday + dt.timedelta(days=6), TimePrecision.WEEK, DateBasis.RELATIVE)
        first = pub.replace(day=_last_day(pub.year, pub.month)) + dt.timedelta(days=1)
        return _span(first, first.replace(day=_last_day(first.year, first.month)), TimePrecision.MONTH, DateBasis.RELATIVE)
    if which == "the past":
        days = 7 if unit == "week" else 30
        return _span(pub - dt.timedelta(days=days), pub, None, DateBasis.RELATIVE)
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday())
        if which == "last" and not earlier:
            start = monday - dt.timedelta(days=7)
            return _span(start, start + dt.timedelta(days=6), TimePrecision.WEEK, DateBasis.RELATIVE)
        end = pub - dt.timedelta(days=1) if earlier and pub > monday else pub
        return _span(monday, end, None, DateBasis.RELATIVE)
    if which == "last" and not earlier:
        last = pub.replace(day=1) - dt.timedelta(days=1)
        return _span(last.replace(day=1), last, TimePrecision.MONTH, DateBasis.RELATIVE)
    first = pub.replace(day=1)
    end = pub - dt.timedelta(days=1) if earlier and pub > first else pub
    return _span(first, end, None, DateBasis.RELATIVE)


def _h_past(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    n = _number(m["n"]) if m["n"] else 1
    unit = m["unit"].lower().rstrip("s")
    back = {"hour": -(-n // 24), "day": n, "night": n, "week": 7 * n, "month": 30 * n}[unit]
    return _span(pub - dt.timedelta(days=max(1, back)), pub, None, DateBasis.RELATIVE)


def _h_recent_days(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    return _span(pub - dt.timedelta(days=6), pub, TimePrecision.WEEK, DateBasis.RELATIVE)


def _h_nth(m: re.Match[str], pub: dt.date, future: bool) -> DateSpan | None:
    day = int(re.sub(r"\D", "", m["day"]))
    month_first = pub.replace(day=1)
    if day > pub.day and not future:
        month_first = (month_first - dt.timedelta(days=1)).replace(day=1)
    date = _day_of(month_first.year, month_first.month, day)
    return _span(date, date, TimePrecision.DAY, DateBasis.RELATIVE) if date else None


_PART = (r"(?P<part>early|mid|late|(?:the\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half"
         r"|first\s+week|last\s+week|final\s+week|last\s+days|final\s+days|closing\s+days)\s+of)")
_MONTH_REF = (rf"(?:(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?"
              r"|(?P<ref>last\s+month|this\s+month|next\s+month|the\s+month))")

_RULES: tuple[_Rule, ...] = (
    _Rule("day_range", _compile(
        rf"\b(?:between\s+|from\s+)?(?P<d1>{_DAY})(?:\s+(?:of\s+)?(?P<mon1>{_MON}))?\s*(?:-|–|to|and|until)\s*"
        rf"(?P<d2>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?\b"), _h_day_range, False),
    _Rule("month_day_range", _compile(
        rf"\b(?:between\s+|from\s+)?(?P<mon>{_MON})\s+(?P<d1>{_DAY})\s*(?:-|–|to|and|until)\s*"
        rf"(?:(?P<mon2>{_MON})\s+)?(?P<d2>{_DAY})\b(?:,?\s+(?P<year>{_YEAR}))?"), _h_month_day_range, False),
    _Rule("day_month", _compile(
        rf"\b(?:on\s+)?(?:the\s+)?(?P<day>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?\b"),
        _h_day_month, False),
    _Rule("month_day", _compile(
        rf"\b(?:on\s+)?(?P<mon>{_MON})\s+(?P<day>{_DAY})\b(?:,?\s+(?P<year>{_YEAR})\b)?"), _h_day_month, False),
    _Rule("numeric", _compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b"), _h_numeric, False),
    _Rule("iso", _compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<mo>\d{2})-(?P<d>\d{2})\b"), _h_iso, False),
    _Rule("part_of_month", _compile(
        rf"\b(?:(?:in|at|by|during|until|from|since|towards|toward)\s+)?(?:the\s+)?{_PART}[\s-]+{_MONTH_REF}"),
        _h_part, False),
    _Rule("month", _compile(
        rf"\b(?:(?P<prep>in|during|since|by|until|till|from|throughout|last|this|of|early|late|before|after)"
        rf"\s+)?(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?\b(?P<ref>)"), _h_month, False),
    _Rule("nth", _compile(rf"\bon\s+the\s+(?P<day>{_DAY})\b(?!\s+(?:of\s+)?{_MON})"), _h_nth, True),
    _Rule("weekday", _compile(
        rf"\b(?:(?P<mod>last|this|next|on|since|from|by|until|early|late|earlier\s+on)\s+)?(?P<wd>{_WD})"
        r"(?:'s)?(?:\s+(?:morning|afternoon|evening|night))?\b"), _h_weekday, True),
    _Rule("deictic_day", _compile(
        r"\b(?:the\s+day\s+before\s+yesterday|(?:earlier\s+)?(?:yesterday|today)(?:\s+(?:morning|afternoon|"
        r"evening))?|tonight|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night|overnight)\b"),
        _h_deictic_day, True),
    _Rule("ago", _compile(
        rf"\b(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?)\s+(?:ago|earlier|before)\b"), _h_ago, True),
    _Rule("week_month", _compile(
        r"\b(?:(?:over|during|in|at|for|from)\s+)?(?P<earlier>earlier\s+)?(?P<which>last|this|next|the\s+past|the\s+previous|the)\s+"
        r"(?P<unit>week|weekend|month)\b"), _h_week, True),
    _Rule("past_n", _compile(
        rf"\b(?:(?:in|over|during|within|for)\s+)?the\s+(?:past|last|previous)\s+(?:(?P<n>{_NUM})\s+)?"
        r"(?P<unit>hours?|days?|nights?|weeks?|months?)\b"), _h_past, True),
    _Rule("recent_days", _compile(r"\b(?:in|over)\s+(?:recent|the\s+last\s+few|the\s+past\s+few)\s+days\b"),
          _h_recent_days, True),
    _Rule("year", _compile(
        rf"\b(?:(?:in|since|during|by|until|of|from|throughout|early|late|mid)[\s-]+)?(?P<year>{_YEAR})\b"
        r"|\b(?:(?:earlier|later)\s+)?(?:last|this|the\s+previous|the\s+past)\s+year\b"
        rf"|\b(?:(?:in|over|during|within|for)\s+)?the\s+(?:past|last|previous)\s+(?:{_NUM}\s+)?years\b"
        r"|\b(?:early|late|mid)[\s-]+(?:19|20)\d{2}\b"), None, False, True),
    _Rule("vague", _compile(
        r"\b(?:recent(?:ly)?|previously|lately|formerly|earlier|repeatedly|at\s+one\s+point|in\s+the\s+past"
        r"|(?:on|in)\s+(?:a\s+number\s+of|several|many|numerous|multiple|repeated)\s+occasions"
        r"|in\s+recent\s+(?:weeks|months|years)|for\s+(?:weeks|months|years)|last\s+time"
        r"|some\s+time\s+ago|not\s+long\s+ago|in\s+the\s+(?:weeks|months|days)\s+(?:before|since))\b"),
        None, True),
)


# ----------------------------------------------------------------------------------------------
# finding


def quote_regions(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of quotations (curly “…” and straight "…" pairs) in ``text``."""
    regions: list[tuple[int, int]] = []
    for m in re.finditer(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)", text):
        regions.append((m.start(), m.end()))
    return tuple(regions)


def _inside(pos: int, regions: tuple[tuple[int, int], ...]) -> bool:
    return any(s < pos < e for s, e in regions)


def unquoted(
    mentions: Iterable[DateMention], quotes: tuple[tuple[int, int], ...], *, offset: int = 0
) -> list[DateMention]:
    """The mentions less the relative ones inside a quotation ("yesterday" in a quote is relative to
    when the speaker spoke); ``quotes`` are offsets into the text the mentions start ``offset`` into."""
    return [m for m in mentions if not (m.relative and _inside(m.start - offset, quotes))]


_ANY_DATE = re.compile(
    r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|tonight|tomorrow|morning|afternoon|evening|night|"
    r"week|month|year|hour|recent|previous|lately|former|earlier|repeated|at\s+one\s+point|past|occasion|time",
    re.IGNORECASE,
)
"""A word every rule needs one of (a digit, a month, "day" of weekdays, "today" and "days", ...): a sentence
without any holds no date expression, and is passed over with one search instead of one per rule."""


def _matches(text: str) -> Iterator[tuple[_Rule, re.Match[str]]]:
    if not _ANY_DATE.search(text):
        return
    for rule in _RULES:
        for m in rule.pattern.finditer(text):
            yield rule, m


def find_dates(text: str, published: dt.date, *, offset: int = 0) -> tuple[DateMention, ...]:
    """Every date expression in ``text``, left to right, overlapping matches resolved to the longest.

    ``offset`` is added to the offsets (the text's start in the article), so spans index the article.
    """
    found: list[tuple[int, int, int, _Rule, re.Match[str]]] = []
    for order, (rule, m) in enumerate(_matches(text)):
        if m.end() > m.start():
            found.append((m.start(), m.end(), order, rule, m))
    # longest first, then the earlier rule (more specific patterns come first in _RULES)
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2]))
    chosen: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for start, end, _order, rule, m in found:
        if any(start < e and s < end for s, e in taken):
            continue
        mention = _mention(rule, m, text, published, offset)
        if mention is None:
            continue
        taken.append((start, end))
        chosen.append(mention)
    chosen.sort(key=lambda d: d.start)
    return tuple(chosen)


def _year_of(m: re.Match[str], published: dt.date) -> int | None:
    """The year a year-level expression names, or None for a span of years."""
    if m["year"]:
        return int(m["year"])
    text = m[0].lower()
    if text.endswith("years"):
        return None
    if "last" in text or "previous" in text or "past" in text:
        return published.year - 1
    return published.year


def year_span(year: int, published: dt.date, text: str | None = None,
              span: tuple[int, int] | None = None) -> DateSpan:
    """A year named alone ("in 2014"): the whole year (up to publication), basis "year".

    ACLED has no precision coarser than a month, so the precision says MONTH and ``basis`` "year"
    says the truth; ``event_date`` is the middle of the span.
    """
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), published) if year <= published.year else dt.date(year, 12, 31)
    return DateSpan(start, max(start, end), TimePrecision.MONTH, DateBasis.YEAR, text, span)


def _mention(rule: _Rule, m: re.Match[str], text: str, published: dt.date, offset: int) -> DateMention | None:
    span = (m.start() + offset, m.end() + offset)
    if rule.handler is None:
        if rule.year_only:
            return DateMention(*span, m[0], None, relative=not m["year"], year=_year_of(m, published))
        return DateMention(*span, m[0], None, relative=True, vague=True)
    future = bool(_FUTURE.search(text[: m.start()]))
    date = rule.handler(m, published, future)
    if date is None:
        return None
    if (date.end - date.start).days > _LONGEST_DAYS:  # "the past eight months": beyond month precision
        return DateMention(*span, m[0], None, relative=rule.relative)
    date = DateSpan(date.start, date.end, date.precision, date.basis, m[0], span)
    return DateMention(*span, m[0], date, relative=rule.relative)


_LONGEST_DAYS = 31
"""A span longer than this cannot be coded at ACLED's coarsest precision (a month): found, unresolved."""

_PRECISION_ORDER = {TimePrecision.DAY: 0, TimePrecision.WEEK: 1, TimePrecision.MONTH: 2}


def resolve_date(text: str, published: dt.date, *, offset: int = 0) -> DateSpan | None:
    """The date a sentence gives, resolved against ``published``; None when it gives none usable.

    Relative expressions inside quotations are skipped (they are relative to the moment the speaker
    spoke). Where a sentence holds several dates the most precise wins, then the first. Vague
    expressions ("recently", "previously") and years alone give None.
    """
    usable = [
        d for d in unquoted(find_dates(text, published, offset=offset), quote_regions(text), offset=offset)
        if d.date is not None
    ]
    if not usable:
        return None
    best = min(usable, key=lambda d: (_PRECISION_ORDER[d.date.precision] if d.date else 9, d.start))
    return best.date


def publication_span(published: dt.date) -> DateSpan:
    """The date of an event the text does not date: on or before publication, month precision.

    ACLED codes such an event on the publication date (its upper bound) with ``time_precision`` 3;
    the span's start is 30 days earlier, the window month precision stands for, so that merging and
    control queries treat the date as "within the month before publication".
    """
    return DateSpan(published - dt.timedelta(days=30), published, TimePrecision.MONTH, DateBasis.PUBLICATION)
