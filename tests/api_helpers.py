"""Shared pieces of the API and web tests: a store of hand-made events and a fake coder."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from flashpoint.pipeline import ArticleState
from flashpoint.records import Evidence, Modality, Sentence
from flashpoint.store import Store, open_store
from tests.helpers import TEXT, make_event, make_state

TOKEN = "test-token-0123456789"


def hand_made_events() -> tuple:
    """Four events over two months, four places, three types and two modalities."""
    return (
        make_event("a1", "FP1"),
        make_event(
            "a1",
            "FP2",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            disorder_type="Demonstrations",
            actor1="Protesters (Syria)",
            target="Hayat Tahrir al-Sham",
            event_date=dt.date(2018, 4, 1),
            location="Idlib",
            admin1="Idlib",
            latitude=35.93,
            longitude=36.63,
            notes="Protesters marched in Idlib.",
            evidence=Evidence("a1", TEXT[40:], 40, len(TEXT)),
            field_evidence={"location": (62, 67)},
            sources=(Evidence("a1", TEXT[40:], 40, len(TEXT)),),
        ),
        make_event("a1", "FP3", modality=Modality.THREATENED, event_date=dt.date(2018, 6, 1)),
        make_event(
            "a1",
            "FP4",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1="Military Forces of Turkey",
            actor2="YPG",
            country="Turkey",
            admin1="Hatay",
            location="Reyhanli",
            latitude=36.27,
            longitude=36.57,
            event_date=dt.date(2018, 5, 20),
        ),
    )


def filled_store(path: Path, url: str | None = None) -> Store:
    store = open_store(url or f"sqlite:///{path / 'api.db'}")
    store.add(make_state("a1", events=hand_made_events()))
    return store


_SHELLED = re.compile(r"[^.]*\b(shelled|bombed)\b[^.]*\.")


class FakeCoder:
    """Codes each sentence saying "shelled" or "bombed" as one shelling event at Saraqib.

    It stands in for the spaCy pipeline where the API, not the coder, is under test.
    """

    def __init__(self) -> None:
        self.seen: list[str] = []

    def code_state(self, article) -> ArticleState:
        self.seen.append(article.id)
        events = []
        sentences = []
        for n, m in enumerate(_SHELLED.finditer(article.text)):
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            sentence = Sentence(n, start, m.end(), article.text[start : m.end()])
            sentences.append(sentence)
            ev = Evidence(article.id, sentence.text, sentence.start, sentence.end)
            events.append(
                make_event(
                    article.id,
                    "FPX" + hashlib.sha1(f"{article.text}:{n}".encode()).hexdigest()[:10].upper(),
                    evidence=ev,
                    sources=(ev,),
                    field_evidence={},
                    event_date=article.published or dt.date(2018, 5, 8),
                )
            )
        return ArticleState(
            article=article, sentences=tuple(sentences), events=tuple(events), done=frozenset({"finalize"})
        )

    def pipe(self, articles: Iterable) -> Iterator[ArticleState]:
        for a in articles:
            yield self.code_state(a)


def with_text(event, text: str):
    """A copy of ``event`` whose evidence sentence is ``text``."""
    ev = Evidence(event.article_id, text, 0, len(text))
    return dataclasses.replace(event, evidence=ev, sources=(ev,), field_evidence={})


SEED_ID = "hts-2018"


@functools.cache
def coded_seed_db(seed_text: str) -> str:
    """A database holding the seed article coded by the real coder through POST /api/articles
    (coded once per test session: it loads spaCy and the gazetteer)."""
    from fastapi.testclient import TestClient

    from flashpoint.api import ApiSettings, create_app

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='fp-seed-')) / 'seed.db'}"
    store = open_store(url)
    settings = ApiSettings(token=TOKEN, reads_per_minute=None, writes_per_minute=None)
    with TestClient(create_app(store, settings)) as client:
        r = client.post(
            f"/api/articles?published=2018-05-08&id={SEED_ID}&title=HTS loses ground and support in Syria",
            content=seed_text.encode("utf-8"),
            headers={"authorization": f"Bearer {TOKEN}", "content-type": "text/plain"},
        )
        assert r.status_code == 200, r.text
        assert r.json()["results"][0]["status"] == "coded", r.text
    store.close()
    return url
