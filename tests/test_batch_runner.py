from __future__ import annotations

import itertools

import pytest
from sqlalchemy import event

from flashpoint.batch import Coded, Skipped, code_items
from flashpoint.batch.writer import write_states
from flashpoint.errors import InputError
from flashpoint.records import Article
from flashpoint.store import open_store
from tests.batch_fakes import article_lines, fake_coder
from tests.helpers import make_state


def _articles(n: int, start: int = 0) -> list[Article]:
    return [Article(r["id"], r["text"]) for r in article_lines(n, start=start)]


def _summary(outcomes):
    return [
        (o.article.id, tuple(e.event_id for e in o.events))
        if isinstance(o, Coded)
        else ("skip", o.error.where)
        for o in outcomes
    ]


def test_batch_runner_keeps_input_order_with_errors_interleaved():
    items = [*_articles(3), InputError("x:4", "bad"), *_articles(3, start=3)]
    got = list(code_items(items, fake_coder(), batch_size=2))
    assert [o.article.id if isinstance(o, Coded) else o.error.where for o in got] == [
        "a0",
        "a1",
        "a2",
        "x:4",
        "a3",
        "a4",
        "a5",
    ]
    assert isinstance(got[3], Skipped)
    assert len(got[0].events) == 2 and got[2].events == ()  # a2 is the budget story


def test_batch_runner_two_workers_give_the_same_outcomes_as_one():
    items = [*_articles(20), InputError("x:21", "bad")]
    one = _summary(code_items(items, fake_coder(), batch_size=3))
    two = _summary(code_items(items, fake_coder(), batch_size=3, workers=2))
    assert one == two


def test_batch_runner_streams_without_reading_the_whole_input():
    endless = (a for n in itertools.count() for a in _articles(1, start=n))
    first = list(itertools.islice(code_items(endless, fake_coder(), batch_size=4), 10))
    assert [o.article.id for o in first] == [f"a{i}" for i in range(10)]


def test_batch_runner_stores_once_and_a_rerun_returns_stored_events(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/fp.db")
    items = _articles(10)
    first = list(code_items(items, fake_coder(), store, batch_size=4))
    assert all(o.stored for o in first)
    again = list(code_items(items, fake_coder(), store, batch_size=4))
    assert not any(o.stored for o in again)
    assert _summary(first) == _summary(again)
    assert store.counts()["articles"] == 10
    assert store.counts()["events"] == sum(len(o.events) for o in first)


def test_batch_runner_rerun_costs_two_queries_per_chunk(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/fp.db")
    items = _articles(40)
    list(code_items(items, fake_coder(), store, batch_size=10))
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    again = list(code_items(items, fake_coder(), store, batch_size=10))
    assert len(again) == 40 and not any(o.stored for o in again)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2 * 4


def test_batch_runner_same_text_twice_in_one_chunk_is_stored_once(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/fp.db")
    a = _articles(1)[0]
    twin = Article("twin", a.text)
    got = list(code_items([a, twin], fake_coder(), store))
    assert [o.stored for o in got] == [True, False]
    assert store.article_ids() == ["a0"]


def test_batch_runner_relevance_filter_sets_aside_without_losing_events(tmp_path):
    items = _articles(12)
    fast = list(code_items(items, fake_coder(), batch_size=5))
    slow = list(code_items(items, fake_coder(), batch_size=5, relevance=None))
    assert _summary(fast) == _summary(slow)
    aside = [o for o in fast if "relevance" in o.state.done]
    assert [o.article.id for o in aside] == ["a2", "a5", "a8", "a11"]
    assert all(o.state.sentences == () for o in aside)


def test_batch_writer_one_bad_article_costs_only_itself(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/fp.db")
    good = make_state("g1")
    bad = make_state("b1", text="Another text entirely. Shelling in Idlib.")  # its event id clashes with g1's
    other = make_state("g2", text="A third text. Clashes in Hama.", events=())
    results = write_states(store, [good, bad, other])
    assert results[0] is True and results[2] is True
    assert isinstance(results[1], InputError) and "b1" in str(results[1])
    assert sorted(store.article_ids()) == ["g1", "g2"]
    assert store.counts()["events"] == 1


@pytest.mark.parametrize("workers", [0, -1])
def test_batch_runner_rejects_no_workers(workers):
    from flashpoint.batch.engines import ProcessEngine

    with pytest.raises(ValueError, match="at least 1"):
        ProcessEngine(lambda c: c, workers)


class _Explode:
    """A stage that fails on articles holding ``boom``: with a bug (RuntimeError) or, for ``bad
    boom``, with bad input (InputError naming the article)."""

    name = "explode"
    requires: frozenset[str] = frozenset({"sentences"})
    provides: frozenset[str] = frozenset()

    def __call__(self, state):
        if "bad boom" in state.article.text:
            raise InputError(state.article.id, "the stage cannot take this text")
        if "boom" in state.article.text:
            raise RuntimeError("stage exploded")
        return state.with_(self.name)


def _exploding_coder():
    from flashpoint.coder import Coder, FinalizeStage
    from flashpoint.events.prefilter import may_hold_event
    from flashpoint.nlp.model import RegexModel
    from flashpoint.nlp.stage import NlpStage
    from tests.batch_fakes import TriggerEvents

    return Coder([NlpStage(RegexModel(), parse_filter=may_hold_event), _Explode(), TriggerEvents(), FinalizeStage()])


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_runner_a_bug_in_the_coder_propagates_and_is_not_a_skipped_input(workers):
    items = [*_articles(3), Article("x", "Rebels clashed with troops: boom.")]
    with pytest.raises(RuntimeError, match="stage exploded"):
        list(code_items(items, _exploding_coder(), batch_size=2, workers=workers))


def test_batch_runner_bad_input_inside_the_coder_is_skipped_and_the_batch_goes_on():
    items = [*_articles(2), Article("x", "Rebels clashed with troops: bad boom."), *_articles(2, start=2)]
    got = list(code_items(items, _exploding_coder(), batch_size=2))
    assert _summary(got)[2] == ("skip", "x")
    assert "cannot take this text" in str(got[2].error)
    assert [o.article.id for o in got if isinstance(o, Coded)] == ["a0", "a1", "a2", "a3"]
    assert len(got[1].events) == 2 and got[3].events == () and len(got[4].events) == 2


def test_batch_runner_an_article_over_the_size_limit_is_skipped_before_coding(monkeypatch):
    from flashpoint.ingest import MAX_CHARS_ENV

    monkeypatch.setenv(MAX_CHARS_ENV, "100")
    items = [*_articles(1), Article("long", "Rebels clashed with troops. " * 10)]
    got = list(code_items(items, _exploding_coder()))
    assert isinstance(got[0], Coded) and isinstance(got[1], Skipped)
    assert got[1].error.where == "long" and "over the limit of 100" in str(got[1].error)
