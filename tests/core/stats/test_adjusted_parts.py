"""The adjusted means' two building blocks against scipy.sparse on random designs: the
rater-by-rater weights X' diag(w) X and the groups of raters linked by shared items."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from annotator.core.stats.adjusted import _components, _shared_weights


def _design(rng, n_items, n_raters, n_ratings):
    item = rng.integers(0, n_items, n_ratings)
    rater = rng.integers(0, n_raters, n_ratings)
    return item, rater


@pytest.mark.parametrize("n_items,n_raters,n_ratings", [(50, 3, 120), (400, 25, 300), (30, 60, 40)])
def test_shared_weights_equal_the_sparse_product(n_items, n_raters, n_ratings):
    rng = np.random.default_rng(n_items + n_raters)
    item, rater = _design(rng, n_items, n_raters, n_ratings)  # repeats included
    weight = rng.uniform(0.1, 2.0, n_items)
    x = sparse.csr_matrix((np.ones(len(item)), (item, rater)), shape=(n_items, n_raters))
    expected = (x.T @ sparse.diags(weight) @ x).toarray()
    np.testing.assert_allclose(_shared_weights(item, rater, weight, n_items, n_raters), expected)


@pytest.mark.parametrize("seed", range(8))
def test_groups_equal_scipy_connected_components(seed):
    rng = np.random.default_rng(seed)
    n_items, n_raters = int(rng.integers(5, 200)), int(rng.integers(1, 40))
    item, rater = _design(rng, n_items, n_raters, int(rng.integers(1, 60)))
    x = sparse.csr_matrix((np.ones(len(item)), (item, rater)), shape=(n_items, n_raters))
    _, expected = connected_components(x.T @ x, directed=False)
    np.testing.assert_array_equal(_components(item, rater, n_raters), expected)
