"""The Ray engine on a local Ray instance gives the same events as a local run."""

from __future__ import annotations

import json

import pytest

from flashpoint.batch import Coded, code_items
from flashpoint.records import Article
from flashpoint.serialize import event_to_dict
from tests.batch_fakes import article_lines, fake_coder

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'flashpoint[scale]')")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def _events(outcomes):
    return [
        json.dumps(event_to_dict(e), sort_keys=True)
        for o in outcomes
        if isinstance(o, Coded)
        for e in o.events
    ]


def test_batch_ray_gives_the_same_events_as_a_local_run(local_ray, tmp_path):
    from flashpoint.store import open_store

    articles = [Article(r["id"], r["text"]) for r in article_lines(30)]
    local = list(code_items(articles, fake_coder(), batch_size=4))
    store = open_store(f"sqlite:///{tmp_path}/ray.db")
    remote = list(code_items(articles, fake_coder(), store, batch_size=4, workers=2, engine="ray"))
    assert [o.article.id for o in remote] == [a.id for a in articles]
    assert _events(remote) == _events(local)
    assert store.counts()["articles"] == 30
    assert sorted(
        json.dumps(event_to_dict(e), sort_keys=True) for e in store.events(modalities=None)
    ) == sorted(_events(local))
