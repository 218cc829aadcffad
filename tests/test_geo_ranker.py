"""The trained toponym ranker: the shipped file, its numpy inference, and the rows it is trained on."""

from __future__ import annotations

import importlib.util
import json
import sys

import numpy as np
import pytest

from flashpoint.errors import KnowledgeError
from flashpoint.geo.features import CONTEXT_FEATURES, FEATURES
from flashpoint.geo.gazetteer import MemoryGazetteer
from flashpoint.geo.ranker import Ranker, load_ranker, ranker_path
from flashpoint.geo.resolve import Toponym, candidate_rows
from flashpoint.records import Place

from .conftest import ROOT


def _trainer():
    spec = importlib.util.spec_from_file_location("train_ranker", ROOT / "training" / "geo" / "train_ranker.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_geo_ranker_shipped_file_is_small_and_says_how_it_was_trained() -> None:
    assert ranker_path().stat().st_size < 200_000
    ranker = load_ranker()
    assert ranker.about["script"] == "training/geo/train_ranker.py"
    figures = {name: cv for name, cv in ranker.about["cv"].items() if name != "split"}
    assert "geowebnews-dev" in figures  # cross-validated per corpus it was trained on
    assert all(0.5 < cv["given_spans_accuracy@161"] <= 1.0 for cv in figures.values())
    x = np.zeros((3, len(FEATURES)))
    assert ranker.full(x.tolist()).shape == (3,)


def test_geo_ranker_rejects_a_file_of_other_features(tmp_path) -> None:
    blank = {"w": [0.0, 0.0]}
    with pytest.raises(KnowledgeError, match="other features"):
        Ranker({"features": ["a", "b"], "prior": blank, "full": blank})
    bad = tmp_path / "r.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="cannot read"):
        Ranker.load(bad)


def test_geo_ranker_trees_in_numpy_equal_scikit_learn() -> None:
    """Boosted trees exported as arrays score rows as scikit-learn's own decision function does."""
    pytest.importorskip("sklearn")
    trainer = _trainer()
    rng = np.random.default_rng(3)
    groups = []
    for _ in range(60):
        x = rng.normal(size=(4, len(FEATURES)))
        y = np.zeros(4, dtype=bool)
        y[int(np.argmax(x[:, 0] + 0.5 * x[:, 5]))] = True
        groups.append(trainer.Group(x, y))
    spec = trainer.fit_trees(groups, n_trees=20, depth=3, rate=0.2)
    ranker = Ranker({"features": list(FEATURES), "prior": spec, "full": spec})
    x = rng.normal(size=(50, len(FEATURES)))
    from sklearn.ensemble import GradientBoostingClassifier

    xs = np.vstack([g.x for g in groups])
    ys = np.concatenate([g.y for g in groups]).astype(int)
    wt = np.concatenate([np.full(len(g.y), 1.0 / len(g.y)) for g in groups])
    ref = GradientBoostingClassifier(n_estimators=20, max_depth=3, learning_rate=0.2, subsample=0.8,
                                     min_samples_leaf=5, random_state=0).fit(xs, ys, sample_weight=wt)
    assert np.allclose(ranker.full(x.tolist()), ref.decision_function(x), atol=1e-4)
    json.dumps(spec)  # the export is plain JSON


def test_geo_ranker_first_pass_rows_see_no_other_place() -> None:
    aleppo = Place("Aleppo", 36.2, 37.16, 170063, "SY", "SYR", "Syria", "Aleppo", None, None, "P", "PPLA", 1602264)
    aleppo_gov = Place("Aleppo", 36.25, 37.5, 170062, "SY", "SYR", "Syria", "Aleppo", None, None, "A", "ADM1",
                       4868000)
    homs = Place("Homs", 34.73, 36.72, 169577, "SY", "SYR", "Syria", "Homs", None, None, "P", "PPLA", 775404)
    gaz = MemoryGazetteer([aleppo, aleppo_gov, homs])
    text = "Shells fell on Aleppo and Homs."
    got = candidate_rows(text, [Toponym(15, 21), Toponym(26, 30)], gaz, load_ranker())
    cols = [i for i, f in enumerate(FEATURES) if f in CONTEXT_FEATURES]
    ((cands, prior), (cands2, full)), _ = got
    assert set(cands) == set(cands2) == {aleppo, aleppo_gov}
    assert not np.asarray(prior)[:, cols].any()
    assert np.asarray(full)[:, FEATURES.index("focus_share")].tolist() == [1.0, 1.0]
