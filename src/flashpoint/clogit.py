"""Fitting a conditional logit over binary features: the small scoring models flashpoint ships (the
argument model's roles, the event-place model) are trained with it.

Each group offers options, each a set of feature names; some of them are right. The model is one
weight per feature; an option scores the sum of its features' weights, and the fit maximises the
likelihood of the right options (any of them) in each group, L2-regularised with weight ``1 / c``.
Needs scipy (the ``train`` extra); coding with a fitted model needs nothing but its weights.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Group = tuple[Sequence[Sequence[str]], Sequence[int]]  # options (feature names), indices of the right ones


def fit(groups: Sequence[Group], c: float, weights: Sequence[float] | None = None, *, maxiter: int = 500,
        keep: float = 0.02) -> dict[str, float]:
    """The feature weights (rounded to 3 places; those under ``keep`` in size dropped); each group's
    term in the likelihood is multiplied by its weight in ``weights`` (default 1)."""
    from scipy import sparse
    from scipy.optimize import minimize

    index: dict[str, int] = {}
    rows, cols, starts, right = [], [], [], []
    size = 0
    for options, good in groups:
        starts.append(size)
        for n, feats in enumerate(options):
            for f in feats:
                rows.append(size + n)
                cols.append(index.setdefault(f, len(index)))
        right += [size + k for k in good]
        size += len(options)
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, len(index)))
    x.data[:] = np.minimum(x.data, 1.0)
    bounds = np.array([*starts, size])
    lengths = np.diff(bounds)
    good_row = np.zeros(size, dtype=bool)
    good_row[right] = True
    weight = np.ones(len(groups)) if weights is None else np.asarray(weights, dtype=float)
    per_row = np.repeat(weight, lengths)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        e = np.exp(s - np.repeat(np.maximum.reduceat(s, bounds[:-1]), lengths))
        total = np.add.reduceat(e, bounds[:-1])
        good = np.add.reduceat(np.where(good_row, e, 0.0), bounds[:-1])
        value = float(weight @ (np.log(total) - np.log(good))) + 0.5 / c * float(w @ w)
        p = e / np.repeat(total, lengths)
        q = np.where(good_row, e, 0.0) / np.repeat(good, lengths)
        return value, x.T @ (per_row * (p - q)) + w / c

    w = minimize(loss, np.zeros(len(index)), jac=True, method="L-BFGS-B", options={"maxiter": maxiter}).x
    return {f: round(float(w[i]), 3) for f, i in sorted(index.items()) if abs(w[i]) >= keep}
