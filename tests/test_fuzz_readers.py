"""Fuzzing the readers: every hostile input gives articles or clear InputErrors, never a crash.

Budgets: small under ``make test``, the CI fuzz stage under ``make fuzz`` (tests/fuzz/strategies.py).
"""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashpoint.errors import InputError
from flashpoint.ingest import (
    DEFAULT_MAX_CHARS,
    MAX_CHARS_ENV,
    parse_published,
    read_csv,
    read_html,
    read_jsonl,
    read_paths,
    read_text,
)
from flashpoint.records import Article
from tests.fuzz.strategies import (
    ENGLISH,
    FULL,
    TARGET_INPUTS,
    any_text,
    budget,
    csv_bytes,
    date_strings,
    html_doc,
    jsonl_line,
    ran,
    report_total,
    write_report,
)

_DIR = Path(tempfile.mkdtemp(prefix="flashpoint-fuzz-"))
_names = itertools.count()


def _file(suffix: str, data: bytes) -> Path:
    path = _DIR / f"in{next(_names)}{suffix}"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    write_report()


def check_items(items: list[object], name: str) -> list[object]:
    """The reader contract: each item an Article or an InputError that names the input, both printable."""
    for item in items:
        if isinstance(item, InputError):
            message = str(item)
            assert message.startswith(name), message
            message.encode("utf-8")  # printable on stderr
            assert item.message.strip()
        else:
            assert isinstance(item, Article), item
            assert item.text.strip()
            assert len(item.text) <= DEFAULT_MAX_CHARS
            for value in (item.id, item.text, item.title, item.source, item.url):
                if value is not None:
                    value.encode("utf-8")  # storable and printable: no lone surrogates
            assert item.published is None or isinstance(item.published, dt.date)
            assert item.language == "en"
    return items


# -- generated inputs ----------------------------------------------------------------------------


@budget(default=150, full=2500)
@given(st.one_of(any_text().map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary(max_size=300)))
def test_fuzz_readers_text_file(data):
    ran("readers.text")
    path = _file(".txt", data)
    (item,) = check_items(list(read_paths([path])), str(path))
    assert isinstance(item, Article | InputError)


@budget(default=100, full=2500)
@given(st.lists(jsonl_line(), max_size=6), st.booleans())
def test_fuzz_readers_jsonl_one_item_per_line(lines, gz):
    ran("readers.jsonl")
    data = b"\n".join(lines) + b"\n"
    path = _file(".jsonl.gz" if gz else ".jsonl", gzip.compress(data) if gz else data)
    items = check_items(list(read_jsonl(path)), str(path))
    stream_error = any(isinstance(x, InputError) and "rest of file skipped" in x.message for x in items)
    if not stream_error:
        # nothing silently dropped: one outcome per non-blank line
        lines = re.split(r"\r\n|\r|\n", data.decode("utf-8-sig"))  # what readline splits on
        expected = sum(1 for line in lines if line.strip())
        assert len(items) == expected


@budget(default=100, full=2000)
@given(csv_bytes(), st.booleans())
def test_fuzz_readers_csv(data, gz):
    ran("readers.csv")
    path = _file(".csv.gz" if gz else ".csv", gzip.compress(data) if gz else data)
    check_items(list(read_csv(path)), str(path))


@budget(default=60, full=1000)
@given(st.one_of(html_doc().map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary(max_size=200)))
def test_fuzz_readers_html(data):
    ran("readers.html")
    path = _file(".html", data)
    check_items([read_html(path)], str(path))


@budget(default=200, full=2000)
@given(date_strings())
def test_fuzz_readers_parse_published(value):
    ran("readers.published")
    try:
        day = parse_published(value, "batch.jsonl:7")
    except InputError as exc:
        assert str(exc).startswith("batch.jsonl:7: ")
        str(exc).encode("utf-8", "backslashreplace")
    else:
        assert day is None or isinstance(day, dt.date)


# -- hand-made hostile inputs --------------------------------------------------------------------

FIVE_MB_LINE = ("Rebels shelled Aleppo " * 240_000).encode()


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        (".txt", FIVE_MB_LINE),
        (".jsonl", json.dumps({"id": "big", "text": FIVE_MB_LINE.decode()}).encode() + b"\n"),
        (".csv", b"id,text\nbig," + FIVE_MB_LINE + b"\n"),
    ],
    ids=["text", "jsonl", "csv"],
)
def test_fuzz_readers_reject_a_5mb_line_naming_the_limit(suffix, data):
    path = _file(suffix, data)
    (item,) = list(read_paths([path]))
    assert isinstance(item, InputError)
    assert "over the limit of 100,000" in item.message and MAX_CHARS_ENV in item.message


def test_fuzz_readers_huge_csv_field_costs_only_its_row():
    path = _file(".csv", b"id,text\nbig," + FIVE_MB_LINE + b"\nsmall," + ENGLISH[0].encode() + b"\n")
    big, small = list(read_csv(path))
    assert isinstance(big, InputError) and big.where.endswith(":2")
    assert isinstance(small, Article) and small.id == "small"


def test_fuzz_readers_size_limit_is_set_by_environment(monkeypatch):
    text = " ".join(ENGLISH)
    path = _file(".txt", text.encode())
    monkeypatch.setenv(MAX_CHARS_ENV, str(len(text) - 1))
    (item,) = list(read_paths([path]))
    assert isinstance(item, InputError) and f"over the limit of {len(text) - 1:,}" in item.message
    monkeypatch.setenv(MAX_CHARS_ENV, str(len(text)))
    (item,) = list(read_paths([path]))
    assert isinstance(item, Article)
    monkeypatch.setenv(MAX_CHARS_ENV, "0")  # no limit
    (item,) = list(read_paths([_file(".txt", FIVE_MB_LINE)]))
    assert isinstance(item, Article) and len(item.text) == len(FIVE_MB_LINE)
    monkeypatch.setenv(MAX_CHARS_ENV, "lots")
    (item,) = list(read_paths([path]))
    assert isinstance(item, InputError) and item.where == MAX_CHARS_ENV and "'lots'" in item.message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"text": "x", "id": ' + b"9" * 5000 + b"}", "malformed JSON"),
        (json.dumps({"text": ENGLISH[0] + " \ud800"}).encode(), "'text' holds invalid Unicode"),
        (json.dumps({"text": ENGLISH[0], "title": "\udfff"}).encode(), "'title' holds invalid Unicode"),
        (json.dumps({"text": ENGLISH[0], "id": "a\ud83d"}).encode(), "'id' holds invalid Unicode"),
    ],
    ids=["deep", "huge-int", "surrogate-text", "surrogate-title", "surrogate-id"],
)
def test_fuzz_readers_jsonl_line_that_crashed_is_an_input_error_and_the_batch_goes_on(line, message):
    good = json.dumps({"id": "ok", "text": ENGLISH[1]}).encode()
    path = _file(".jsonl", line + b"\n" + good + b"\n")
    bad, ok = list(read_jsonl(path))
    assert isinstance(bad, InputError) and message in bad.message and bad.where == f"{path}:1"
    assert isinstance(ok, Article) and ok.id == "ok"


def test_fuzz_readers_html_bombs_end_quickly_as_input_errors():
    deep = b"<html><body>" + b"<div>" * 50_000 + ENGLISH[0].encode() + b"</div>" * 50_000 + b"</body></html>"
    entities = (
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        b"<html><body><p>&d;&d;&d;&d;&d;&d;</p></body></html>"
    )
    for data in (deep, entities):
        path = _file(".html", data)
        item = read_html(path)
        assert isinstance(item, InputError | Article)
        if isinstance(item, Article):
            assert "aaaaaaaaaa" * 100 not in item.text  # entities not expanded into a bomb


def test_fuzz_readers_read_text_from_bytes_with_nul_control_and_rtl():
    for data, ok in [
        (b"Rebels\x00 attacked", False),
        (bytes(range(1, 32)) * 50, False),
        (("\u202e" + ENGLISH[0] + "\u202c").encode(), True),
        (("💣 " + ENGLISH[2]).encode(), True),
    ]:
        item = read_text("-", data=data)
        assert isinstance(item, Article) is ok, item


def test_fuzz_readers_total_reaches_the_ci_target(tmp_path, request):
    """Under ``make fuzz`` the report must count at least 10,000 inputs (readers and coder)."""
    import os

    path = os.environ.get("FLASHPOINT_FUZZ_REPORT")
    if not FULL or not path:
        pytest.skip("counts only under make fuzz (FLASHPOINT_FUZZ=full, FLASHPOINT_FUZZ_REPORT set)")
    write_report()
    total = report_total(Path(path))
    assert total >= TARGET_INPUTS, f"fuzz stage ran {total} inputs, fewer than {TARGET_INPUTS}"
