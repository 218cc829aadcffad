"""Fitting the conditional logit the shipped scoring models are trained with."""

from __future__ import annotations

import pytest

pytest.importorskip("scipy")

from flashpoint import clogit


def test_clogit_learns_the_feature_of_the_right_options() -> None:
    groups = [([("near", "town"), ("far", "country")], [0]), ([("far", "town"), ("near", "country")], [1]),
              ([("near", "country"), ("far", "country")], [0])]
    w = clogit.fit(groups, 1.0)
    assert w["near"] > 0 > w["far"]
    assert abs(w.get("town", 0.0)) < w["near"]  # seen right and wrong alike: weighs less


def test_clogit_group_weights_and_small_weights_dropped() -> None:
    groups = [([("a",), ("b",)], [0]), ([("a",), ("b",)], [1])]
    assert clogit.fit(groups, 1.0) == {}  # a and b equally right: nothing learned, nothing kept
    w = clogit.fit(groups, 1.0, weights=[3.0, 1.0])
    assert w["a"] > 0 > w["b"]
