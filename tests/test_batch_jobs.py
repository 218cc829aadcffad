"""Whole ``code`` and ``places`` runs as library calls: one reader, one batch runner, bad lines named
with their line number while the rest goes on, and the places ``code``'s geo stage sees."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from flashpoint.actors import ActorStage
from flashpoint.batch import CodeJob, CodeOptions, GivenSpansJob, PlacesJob, read_given_spans
from flashpoint.coder import Coder, PlaceStage, place_stages
from flashpoint.errors import InputError, PipelineError
from flashpoint.geo.gazetteer import MemoryGazetteer
from flashpoint.geo.geoparser import Geoparser
from flashpoint.ingest import read_inputs
from flashpoint.nlp.model import RegexModel
from flashpoint.nlp.stage import NlpStage
from flashpoint.pipeline import ArticleState, Pipeline
from flashpoint.records import Article, Modality, Place
from flashpoint.store import open_store
from tests.batch_fakes import article_lines, fake_coder

ALEPPO = Place("Aleppo", 36.20124, 37.16117, 170063, "SY", "SYR", "Syria", "Aleppo", None, None, "P", "PPLA",
               1602264)
HOMS = Place("Homs", 34.72682, 36.72339, 169577, "SY", "SYR", "Syria", "Homs", None, None, "P", "PPLA", 775404)


def _batch(tmp_path, lines: list[str]):
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _good_and_bad(tmp_path):
    """Five lines: two articles, a line that is no JSON, one with no text, one more article."""
    good = [json.dumps(r) for r in article_lines(3)]
    return _batch(tmp_path, [good[0], good[1], '{"id": "broken", "text": ', json.dumps({"id": "empty"}), good[2]])


def test_batch_jobs_code_job_names_bad_lines_and_codes_the_rest(tmp_path) -> None:
    path = _good_and_bad(tmp_path)
    skipped: list[InputError] = []
    url = f"sqlite:///{tmp_path / 'fp.db'}"
    with CodeJob(read_inputs([], str(path)), db=url, coder=fake_coder(), on_skip=skipped.append) as job:
        events = list(job.events())
    assert [e.where for e in skipped] == [f"{path}:3", f"{path}:4"]
    assert "malformed JSON" in skipped[0].message and "'text'" in skipped[1].message
    assert sorted({e.article_id for e in events}) == ["a0", "a1"]  # a2 is set aside by the fast path
    assert (job.tally.articles, job.tally.skipped, job.tally.found) == (3, 2, len(events))
    store = open_store(url)
    assert store.article_ids() == ["a0", "a1", "a2"]
    store.close()
    again = CodeJob(read_inputs([], str(path)), db=url, coder=fake_coder())  # stored articles are not coded again
    with again:
        assert [e.event_id for e in again.events()] == [e.event_id for e in events]


def test_batch_jobs_code_job_options_choose_modalities_and_the_fast_path(tmp_path) -> None:
    path = _batch(tmp_path, [json.dumps(r) for r in article_lines(3)])
    every = CodeOptions(fast_path=False, modalities=None)
    with CodeJob(read_inputs([], str(path)), db=None, coder=fake_coder(), options=every) as job:
        assert {e.article_id for e in job.events()} == {"a0", "a1"}
    none = CodeOptions(modalities=frozenset({Modality.THREATENED}))
    with CodeJob(read_inputs([], str(path)), db=None, coder=fake_coder(), options=none) as job:
        assert list(job.events()) == [] and job.tally.articles == 3


def test_batch_jobs_read_inputs_dates_undated_articles(tmp_path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Rebels clashed with troops near the town.", encoding="utf-8")
    path = _batch(tmp_path, [json.dumps({"id": "x", "text": "Troops clashed with rebels near the town."}),
                             json.dumps({"id": "y", "text": "Troops clashed again.", "published": "2020-01-02"})])
    got = list(read_inputs([text], str(path), published=dt.date(2019, 5, 1), title="T"))
    assert [(a.id, a.published, a.title) for a in got if isinstance(a, Article)] == [
        (str(text), dt.date(2019, 5, 1), "T"), ("x", dt.date(2019, 5, 1), None), ("y", dt.date(2020, 1, 2), None)]


def _fast_place_stages() -> list:
    """The shape of :func:`place_stages` with a regex NLP model and a two-town gazetteer."""
    return [NlpStage(RegexModel()), ActorStage(), PlaceStage(Geoparser(MemoryGazetteer([ALEPPO, HOMS])))]


def test_batch_jobs_places_job_names_bad_lines_and_finds_the_rest(tmp_path) -> None:
    lines = [json.dumps({"id": "a", "text": "Shelling hit Aleppo on Monday."}), "[1, 2",
             json.dumps({"id": "b", "text": ""}), json.dumps({"id": "c", "text": "Fighting went on in Homs."})]
    path = _batch(tmp_path, lines)
    skipped: list[InputError] = []
    job = PlacesJob(read_inputs([], str(path)), stages=_fast_place_stages(), on_skip=skipped.append)
    got = [(aid, m.text, m.place.geonameid if m.place else None) for aid, m in job.mentions()]
    assert got == [("a", "Aleppo", 170063), ("c", "Homs", 169577)]
    assert [e.where for e in skipped] == [f"{path}:2", f"{path}:3"]
    assert (job.tally.articles, job.tally.skipped, job.tally.found) == (2, 2, 2)


def test_batch_jobs_place_stage_needs_the_actor_stage() -> None:
    with pytest.raises(PipelineError, match="actor_mentions"):
        Pipeline([NlpStage(RegexModel()), PlaceStage(Geoparser(MemoryGazetteer([ALEPPO])))])


def test_batch_jobs_given_spans_bad_span_and_bad_line_in_the_middle(tmp_path) -> None:
    text = "Homs and Aleppo."
    lines = [json.dumps({"id": "a", "text": text, "toponyms": [{"start": 0, "end": 4}]}),
             json.dumps({"id": "b", "text": text, "toponyms": [{"start": 9, "end": 15}, {"start": 9, "end": 99}]}),
             "not json", json.dumps({"id": "c", "text": text, "toponyms": [{"start": 9}]}),
             json.dumps({"id": "d", "text": text, "toponyms": [{"start": 9, "end": 15}]})]
    path = _batch(tmp_path, lines)
    items = list(read_given_spans(str(path)))
    assert [i.where if isinstance(i, InputError) else i.article.id for i in items] == [
        "a", f"{path}:2", "b", f"{path}:3", f"{path}:4", "c", "d"]
    skipped: list[InputError] = []
    job = GivenSpansJob(items, geoparser=Geoparser(MemoryGazetteer([ALEPPO, HOMS])), on_skip=skipped.append)
    assert [(aid, m.text, m.place.name if m.place else None) for aid, m in job.mentions()] == [
        ("a", "Homs", "Homs"), ("b", "Aleppo", "Aleppo"), ("d", "Aleppo", "Aleppo")]
    assert [str(e) for e in skipped] == [f"{path}:2: toponym span (9, 99) is outside the text (length 16)",
                                         f"{path}:3: malformed JSON (Expecting value at column 1)",
                                         f"{path}:4: bad toponym {{'start': 9}}: needs integer start and end"]
    assert (job.tally.articles, job.tally.skipped) == (4, 3)


TURKEY = "Turkish police arrested two men in Ankara on Monday. Officials said both had later moved into the Taliban."
"""Written for this test: "the Taliban" after "into", in an article about Turkey, is a Turkish village's
name to a reader that does not know it is an actor."""


@pytest.mark.slow
def test_batch_jobs_places_are_the_places_code_sees_and_no_actor_is_one() -> None:
    article = Article("t", TURKEY, dt.date(2019, 1, 1))
    found = [m for _, m in PlacesJob([article]).mentions()]
    assert [m.text for m in found] == ["Turkish", "Ankara"]
    coded = Coder().code_state(article)
    assert tuple(m for m in found if m.place is not None) == coded.place_mentions
    nlp, actors = place_stages()[:2]
    state = actors(nlp(ArticleState(article)))
    assert [a.actor.name for a in state.actor_mentions if a.text == "the Taliban"] == ["Taliban"]
    _, blind = Geoparser().resolve_detected(TURKEY, state.sentences, state.mentions, ())
    assert "Taliban" in [r.mention.text for r in blind]  # without the actor stage it would be read as a place
