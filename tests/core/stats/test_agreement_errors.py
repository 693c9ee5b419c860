"""What agreement's bare exceptions mean: neither is reachable from what a person gives.

``alpha``'s ValueError for an unknown level is a programming error: a level chosen by a
person is refused by ``stats.compute`` with an InputError that names the levels. The
ArithmeticError of the check against the krippendorff package is a defect of our code:
no ratings make the two differ, which the property test below tries on every level.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stats_helpers import scored_report

from annotator.core.domain.errors import InputError
from annotator.core.i18n import use_language
from annotator.core.stats import agreement


def test_a_level_a_person_gives_is_refused_with_the_levels_named():
    with use_language("zh_CN"), pytest.raises(InputError) as err:
        scored_report({1: {"relevance": (4, 5)}}, ("relevance",), level="ordinl")
    assert err.value.text("en") == (
        "level must be one of ('nominal', 'ordinal', 'interval', 'ratio'), got 'ordinl'"
    )
    assert "ordinl" in err.value.text("zh_CN") and "level must" not in err.value.text("zh_CN")


def test_alpha_itself_refuses_an_unknown_level_as_a_programming_error():
    with pytest.raises(ValueError, match="level must be one of"):
        agreement.alpha(np.array([[2, 0, 0, 0, 0]]), "relevance", level="ordinl")


counts = st.lists(
    st.lists(st.integers(0, 3), min_size=5, max_size=5), min_size=1, max_size=40
).map(lambda rows: np.array(rows, dtype=np.int64))


@settings(max_examples=150, deadline=None)
@given(counts=counts, level=st.sampled_from(agreement.LEVELS))
def test_no_ratings_make_our_alpha_differ_from_the_krippendorff_package(counts, level):
    result = agreement.alpha(counts, "relevance", level=level)  # ArithmeticError = our bug
    assert result.alpha is None or np.isfinite(result.alpha)
