"""Statements of control are kept when an article is coded, so a control query reads rows; articles
stored before that (migration 0004) are read once, by the named back-fill step the session runs when
it opens the store, with the same answer."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select

from flashpoint.control import place_key, stored
from flashpoint.control.stored import claim_from_dict, claim_to_dict, load_control
from flashpoint.records import Article
from flashpoint.session import Session, session_store
from flashpoint.store import open_store, schema

pytestmark = pytest.mark.slow

TEXT = (
    "Rebels of Hayat Tahrir al-Sham shelled Saraqib on Monday, residents said. "
    "The town of Khan Shaykhun, held by Hayat Tahrir al-Sham, was shelled by government forces. "
    "Hayat Tahrir al-Sham was forced to surrender its positions in Kafr Zita on 2 May."
)


@pytest.fixture(scope="module")
def coded_state():
    from flashpoint.coder import Coder

    return Coder().code_state(Article("ctl1", TEXT, published=dt.date(2019, 5, 8)))


def _rows(url: str) -> tuple[int, int]:
    with open_store(url) as store, store.engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(schema.control_statements)).scalar_one(),
            conn.execute(select(func.count()).select_from(schema.control_read)).scalar_one(),
        )


def test_control_stored_statements_are_kept_at_coding_and_read_without_the_articles(
    coded_state, tmp_path, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'fp.db'}"
    with session_store(url) as store:
        store.add_state(coded_state)
    statements, read = _rows(url)
    assert read == 1 and statements >= 2
    plain = f"sqlite:///{tmp_path / 'plain.db'}"
    with open_store(plain) as store:  # the store alone derives nothing: the session's store does
        store.add_state(coded_state)
    assert _rows(plain) == (0, 0)

    def no_rereading(*args, **kwargs):
        raise AssertionError("a control query re-read a stored article")

    monkeypatch.setattr(stored, "stored_states", no_rereading)
    with open_store(url) as store:
        loaded = load_control(store)
        held = Session(store).control("Khan Shaykhun", "2019-05-08")
    kinds = {(c.place, c.actor, c.kind) for c in loaded.statements}
    assert any(
        k[1] == "Hayat Tahrir al-Sham" and k[2] == "holds" and place_key(k[0]) == place_key("Khan Shaykhun")
        for k in kinds
    )
    assert any(k[1] == "Hayat Tahrir al-Sham" and k[2] == "loses" for k in kinds)
    assert held.holder == "Hayat Tahrir al-Sham"
    assert any("held by Hayat Tahrir al-Sham" in e.text for e in held.evidence)


def test_control_stored_article_from_before_the_table_is_read_once_by_the_session_and_kept(coded_state, tmp_path):
    url = f"sqlite:///{tmp_path / 'fp.db'}"
    with session_store(url) as store:
        store.add_state(coded_state)
        kept = load_control(store)
        with store.engine.begin() as conn:  # as a store written before migration 0004 holds it
            conn.execute(delete(schema.control_statements))
            conn.execute(delete(schema.control_read))
    with open_store(url) as store:  # the store alone reads rows only: nothing to read yet
        assert load_control(store).statements == ()
    with session_store(url) as store:  # the session reads the article once, when it opens the store
        first = load_control(store)
    assert _rows(url)[1] == 1  # read now, and kept
    with open_store(url) as store:
        second = load_control(store)
    assert first.statements == second.statements and first.intervals == second.intervals
    reread = {(c.place, c.actor, c.kind) for c in first.statements}
    at_coding = {(c.place, c.actor, c.kind) for c in kept.statements}
    assert ("Khān Shaykhūn", "Hayat Tahrir al-Sham", "holds") in reread
    # re-reading finds places by their stored names only; at coding the geoparser's mentions
    # also give transliterated ones ("Kafr Zita" for GeoNames' "Kafr Zaytā")
    assert reread < at_coding
    assert ("Kafr Zaytā", "Hayat Tahrir al-Sham", "loses") in at_coding - reread


def test_control_stored_claim_round_trips_through_json(coded_state):
    claims = stored.control_statements(coded_state)
    assert claims
    assert [claim_from_dict(claim_to_dict(c)) for c in claims] == claims
