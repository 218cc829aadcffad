"""Fuzzing the coder: hostile text either codes into well-formed, storable events or is rejected
with an InputError; never a crash. The real pipeline runs (one Coder for the module: spaCy loads once).

Budgets: small under ``make test``, the CI fuzz stage under ``make fuzz`` (tests/fuzz/strategies.py).
"""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashpoint.errors import InputError
from flashpoint.ingest import MAX_CHARS_ENV
from flashpoint.records import Article
from flashpoint.serialize import event_to_dict
from flashpoint.store import open_store
from flashpoint.store.exports import export
from tests.fuzz.strategies import ENGLISH, budget, hostile_text, newsy_text, ran, write_report

pytestmark = pytest.mark.slow


@functools.cache
def coder():
    from flashpoint.coder import Coder

    return Coder()


@functools.cache
def store():
    path = Path(tempfile.mkdtemp(prefix="flashpoint-fuzz-")) / "fuzz.db"
    return open_store(f"sqlite:///{path}")


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    write_report()
    if store.cache_info().currsize:
        store().close()


def check_coded(text: str) -> None:
    """Code ``text``; the events must be well formed, printable in every format and storable."""
    article = Article("fuzz", text, None)
    try:
        state = coder().code_state(article)
    except InputError as exc:
        assert str(exc).startswith("fuzz: ")
        str(exc).encode("utf-8")
        return
    ids = [e.event_id for e in state.events]
    assert len(ids) == len(set(ids)), "duplicate event ids in one article"
    for s in state.sentences:
        assert 0 <= s.start < s.end <= len(text) and text[s.start : s.end] == s.text
    for e in state.events:
        ev = e.evidence
        assert ev is not None and 0 <= ev.start <= ev.end <= len(text) and text[ev.start : ev.end] == ev.text
        for start, end in e.field_evidence.values():
            assert 0 <= start <= end <= len(text)
        if e.time_precision is None:  # a text with no date and no publication date: undated
            assert e.event_date is None
        else:
            assert 1 <= int(e.time_precision) <= 3
        assert 0 <= e.confidence <= 1 and e.fatalities >= 0
        json.dumps(event_to_dict(e), ensure_ascii=False).encode("utf-8")
    for fmt in ("jsonl", "acled-csv", "geojson"):
        import io

        out = io.StringIO()
        export(list(state.events), fmt, out)
        out.getvalue().encode("utf-8")
    result = store().add_state(state)
    assert result.events == (len(state.events) if result.stored else 0)


@budget(default=25, full=400)
@given(hostile_text(max_size=30))
def test_fuzz_coder_hostile_text(text):
    ran("coder.hostile")
    check_coded(text)


@budget(default=15, full=250)
@given(newsy_text(max_sentences=16))
def test_fuzz_coder_news_spoiled_with_hostile_pieces(text):
    ran("coder.newsy")
    check_coded(text)


@budget(default=2, full=30)
@given(st.lists(st.sampled_from(ENGLISH), min_size=1, max_size=5), st.integers(10, 60))
def test_fuzz_coder_long_articles(sentences, times):
    """Longer articles (up to ~30,000 characters), some with no sentence breaks at all."""
    ran("coder.long")
    text = " ".join(sentences) * times
    check_coded(text)
    check_coded(text.replace(".", "").replace(",", " and")[:20_000])


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\t ",
        "\x00" * 100,
        "Rebels \ud800 attacked Aleppo, killing five people.",
        "".join(chr(c) for c in range(32)) * 20 + ENGLISH[0],
        "\u202e" + ENGLISH[0] + "\u202c" + " مرحبا بالعالم" * 20,
        "قصفت القوات الحكومية مدينة سراقب يوم الاثنين " * 30,
        "💣🔥 " * 200 + ENGLISH[3] + "👨‍👩‍👧‍👦" * 50,
        "a" + "\u0301" * 5000 + ENGLISH[1],
        "x" * 30_000,  # one token, no whitespace
        "killed " + " ".join(str(10**n) for n in range(300)),
    ],
    ids=["empty", "spaces", "nul", "surrogate", "control", "rtl", "arabic", "emoji", "combining", "one-token", "numbers"],
)
def test_fuzz_coder_hand_made_hostile_texts(text):
    check_coded(text)


def test_fuzz_coder_rejects_text_over_the_limit_and_the_limit_is_settable(monkeypatch):
    text = " ".join(ENGLISH)
    monkeypatch.setenv(MAX_CHARS_ENV, str(len(text) - 1))
    with pytest.raises(InputError, match=r"over the limit of .*FLASHPOINT_MAX_ARTICLE_CHARS"):
        coder().code(text)
    monkeypatch.setenv(MAX_CHARS_ENV, str(len(text)))
    assert coder().code(text, published="2018-05-08")


def test_fuzz_coder_surrogate_is_an_input_error_not_a_unicode_crash():
    with pytest.raises(InputError, match="invalid Unicode"):
        coder().code("Rebels \ud800 attacked Aleppo, killing five people.")


def test_fuzz_coder_sentence_without_full_stops_is_cut_into_bounded_pieces():
    """A 'sentence' of 50,000 characters (no full stop) is cut at whitespace: stages that are
    superlinear in sentence length then stay linear in the article's length."""
    from flashpoint.nlp.model import MAX_SENTENCE_CHARS

    text = "rebels attacked and killed soldiers near Aleppo and " * 200
    state = coder().code_state(Article("long", text, None))
    assert len(state.sentences) >= len(text) // MAX_SENTENCE_CHARS
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in state.sentences)
    covered = "".join(s.text for s in state.sentences)
    assert covered.replace(" ", "") == text.replace(" ", "")  # every word kept, in order
