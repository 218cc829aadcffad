"""Hypothesis strategies for hostile input, and the fuzz budget shared by tests/test_fuzz_*.py.

``make test`` runs a small, derandomised budget; ``make fuzz`` sets ``FLASHPOINT_FUZZ=full`` and runs
the CI stage (at least 10,000 generated inputs across the readers and the coder, fresh randomness
each run: a failure prints the input and how to reproduce it). ``FLASHPOINT_FUZZ_REPORT=FILE``
makes each fuzz test record how many inputs it ran, one JSON line per test.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FULL = os.environ.get("FLASHPOINT_FUZZ", "").lower() == "full"
TARGET_INPUTS = 10_000
"""Inputs the full fuzz stage must run, readers and coder together."""

RAN: Counter[str] = Counter()
"""Inputs run per fuzz test in this session."""


def budget(default: int, full: int):
    """Hypothesis settings: ``default`` examples under ``make test``, ``full`` under ``make fuzz``."""
    return settings(
        max_examples=full if FULL else default,
        deadline=None,  # no wall-clock limits in tests: a hang shows as a stuck CI stage
        derandomize=not FULL,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )


def ran(test: str) -> None:
    """Count one input run by ``test``."""
    RAN[test] += 1


def write_report() -> None:
    path = os.environ.get("FLASHPOINT_FUZZ_REPORT")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as fh:
        for test, n in sorted(RAN.items()):
            fh.write(json.dumps({"test": test, "inputs": n}) + "\n")
    RAN.clear()


def report_total(path: Path) -> int:
    return sum(json.loads(line)["inputs"] for line in path.read_text(encoding="utf-8").splitlines() if line)


# -- text ----------------------------------------------------------------------------------------

ENGLISH = [
    "Government forces shelled the town of Saraqib on Monday, killing three civilians, activists said.",
    "Hayat Tahrir al-Sham fighters attacked a checkpoint near Idlib, and two soldiers were killed.",
    "Hundreds of protesters marched in Baghdad against corruption on Friday.",
    "An air strike hit a market in Aleppo on 3 May 2018, killing 12 people.",
    "Unknown gunmen abducted a journalist in Mogadishu.",
]
ARABIC = "قصفت القوات الحكومية مدينة سراقب يوم الاثنين مما أسفر عن مقتل ثلاثة مدنيين بحسب ناشطين"
HOSTILE_PIECES = [
    "\x00",
    "\x00\x00\x00\x00",
    "".join(chr(c) for c in range(1, 32)),
    "\x7f\x85\x9b",
    "\u202e",  # right-to-left override
    "\u202dleft\u202c",
    "\u200f\u200e\u061c",  # RLM, LRM, Arabic letter mark
    "\u2066\u2067\u2068\u2069",  # isolates
    ARABIC,
    "שלום עולם ",
    "中文新闻报道 ",
    "Русский текст ",
    "💣🔥👨‍👩‍👧‍👦🏳️‍🌈",
    "e\u0301\u0301\u0301\u0301",
    "\ufeff",
    "\u2028\u2029",
    "\r\n\r",
    "\t\v\f",
    "\ud800",  # lone surrogates
    "\udfff\ud83d",
    "\U0010ffff\ufffe\uffff",
    "<script>alert(1)</script>",
    "&amp;&#0;&#x110000;&#xd800;",
    "' OR 1=1; DROP TABLE articles; --",
    "(((((((((( ",
    ". . . . . . ",
    "killed killed killed ",
    "1,000,000,000,000,000,000 people were killed ",
    "on 31/02/2018 ",
    "in the year 99999 ",
    "Mr. Dr. St. U.S. e.g. ",
]


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Mixed scripts, control characters, NULs, surrogates, emoji, markup and English news."""
    pieces = st.one_of(
        st.sampled_from(HOSTILE_PIECES),
        st.sampled_from(ENGLISH),
        st.text(st.characters(exclude_categories=()), max_size=12),  # surrogates included
        st.text(max_size=20),
        st.builds(lambda p, n: p * n, st.sampled_from(HOSTILE_PIECES + ENGLISH), st.integers(1, 40)),
    )
    return st.lists(pieces, max_size=max_size).map("".join)


def any_text() -> st.SearchStrategy[str]:
    return st.one_of(hostile_text(), st.text(st.characters(exclude_categories=())), st.text())


def newsy_text(max_sentences: int = 12) -> st.SearchStrategy[str]:
    """Mostly English news sentences spoiled with hostile pieces: long enough to reach every stage."""
    sentence = st.one_of(
        st.sampled_from(ENGLISH),
        st.sampled_from(ENGLISH).map(str.upper),
        st.sampled_from(ENGLISH).map(lambda s: s.replace(" ", "")),
        st.sampled_from(HOSTILE_PIECES),
        st.text(st.characters(exclude_categories=()), max_size=40),
    )
    sep = st.sampled_from([" ", "\n", "\n\n", "", "\u2029", "\r\n", " \x00 ", "\t"])
    return st.lists(st.tuples(sentence, sep), min_size=1, max_size=max_sentences).map(
        lambda xs: "".join(a + b for a, b in xs)
    )


# -- dates ---------------------------------------------------------------------------------------

DATE_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d", "%Y-%m-%dT%H:%M:%SZ"]


def date_strings() -> st.SearchStrategy[object]:
    """Dates in many forms, and wrong ones: impossible days, years 0 and 99999, words, numbers."""
    good = st.builds(
        lambda d, f: d.strftime(f), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.sampled_from(DATE_FORMATS)
    )
    wrong = st.one_of(
        st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(-10, 100_000), st.integers(0, 99), st.integers(0, 99)),
        st.sampled_from(
            ["next Tuesday", "2018-02-30", "0000-00-00", "99999-01-01", "2018-13-01", "Z", "T", "--", "2018-05-08\x00",
             "\ud800", "1" * 40, "2018-W01-1", "2018-05-08T25:61:61", "2018-05-08T10:00+99:00", "NaN", "Infinity"]
        ),
        any_text(),
    )
    other = st.one_of(st.none(), st.integers(), st.floats(), st.booleans(), st.lists(st.integers(), max_size=3))
    return st.one_of(good, wrong, other)


# -- batch records -------------------------------------------------------------------------------

def json_values() -> st.SearchStrategy[object]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), any_text())
    return st.recursive(scalars, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3), max_leaves=8)


def records() -> st.SearchStrategy[dict[str, object]]:
    """A batch record with any subset of the columns, each of any JSON type."""
    return st.fixed_dictionaries(
        {},
        optional={
            "id": st.one_of(st.text(max_size=30), st.integers(), json_values()),
            "text": st.one_of(newsy_text(4), hostile_text(20), json_values()),
            "published": date_strings(),
            "title": st.one_of(any_text(), json_values()),
            "source": any_text(),
            "url": any_text(),
            "extra": json_values(),
        },
    )


def jsonl_line() -> st.SearchStrategy[bytes]:
    """One JSONL line: a record, other JSON, or garbage (truncated, deep, huge numbers, raw bytes)."""
    def dump(obj: object, ascii_: bool) -> bytes:
        return json.dumps(obj, ensure_ascii=ascii_).encode("utf-8", "surrogatepass")

    return st.one_of(
        st.builds(dump, records(), st.booleans()),
        st.builds(dump, json_values(), st.booleans()),
        st.builds(lambda r, n: dump(r, True)[:n], records(), st.integers(0, 40)),
        st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
        st.integers(4000, 6000).map(lambda n: b'{"text": "x", "id": ' + b"9" * n + b"}"),
        st.sampled_from([b"", b"   ", b"{", b"}", b"null", b'"text"', b"{'text': 'single quotes'}", b"\xef\xbb\xbf{}",
                         b'{"text": "a", "text": "b"}', b'{"text": "\\ud800 \\udfff"}', b"NaN", b"\x00\x00"]),
        st.binary(max_size=80),
    )


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    """A CSV batch: a header with some of the columns (or a wrong one), rows of hostile fields, and
    sometimes broken quoting, stray NULs or undecodable bytes."""
    import csv
    import io

    columns = draw(
        st.one_of(
            st.lists(st.sampled_from(["id", "text", "published", "title", "source", "url", "x", ""]), max_size=7),
            st.just(["id", "text", "published"]),
        )
    )
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])))
    writer.writerow(columns)
    cell = st.one_of(newsy_text(3), hostile_text(10), date_strings().map(str))
    for row in draw(st.lists(st.lists(cell, max_size=len(columns) + 2), max_size=5)):
        writer.writerow(row)
    data = buf.getvalue().encode("utf-8", "surrogatepass")
    spoil = draw(st.sampled_from(["none", "none", "quote", "nul", "bytes", "truncate"]))
    if spoil == "quote":
        data += b'\n1,"unterminated quote\n'
    elif spoil == "nul":
        data = data.replace(b",", b",\x00", 1)
    elif spoil == "bytes":
        data += draw(st.binary(min_size=1, max_size=20))
    elif spoil == "truncate" and data:
        data = data[: draw(st.integers(0, len(data)))]
    return data


# -- HTML ----------------------------------------------------------------------------------------

TAGS = ["div", "p", "article", "span", "table", "tr", "td", "ul", "li", "b", "i", "script", "style", "iframe", "svg",
        "math", "template", "noscript", "title", "head", "body", "html", "a", "img", "meta", "br"]


def html_doc() -> st.SearchStrategy[str]:
    """HTML from well-formed to hostile: deep nesting, unclosed tags, entities, comments, CDATA."""
    leaf = st.one_of(newsy_text(3), hostile_text(6), st.sampled_from(["&nbsp;", "&#9999999;", "&amp", "<!-- x -->", "<![CDATA[x]]>", "<", ">", "</p>"]))
    tree = st.recursive(
        leaf,
        lambda kids: st.builds(
            lambda tag, attrs, body, close: f"<{tag}{attrs}>{''.join(body)}" + (f"</{tag}>" if close else ""),
            st.sampled_from(TAGS),
            st.sampled_from(["", ' class="x"', ' onload="alert(1)"', ' content="2018-05-08" name="date"', " \x00=1"]),
            st.lists(kids, max_size=4),
            st.booleans(),
        ),
        max_leaves=25,
    )
    deep = st.builds(
        lambda tag, n, body: f"<{tag}>" * n + body + f"</{tag}>" * n,
        st.sampled_from(["div", "b", "span", "table", "ul"]),
        st.integers(100, 3000),
        newsy_text(3),
    )
    head = st.sampled_from(
        ["", "<!DOCTYPE html>", '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>']
    )
    meta = st.one_of(st.just(""), date_strings().map(lambda d: f'<head><meta name="date" content="{d}"></head>'))
    return st.builds(lambda h, m, body: f"{h}<html>{m}<body>{body}</body></html>", head, meta, st.one_of(tree, deep))
