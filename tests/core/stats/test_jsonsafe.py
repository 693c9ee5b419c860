"""Rows made JSON-safe a column at a time: every dtype gives plain Python values, NaN and
infinities and pandas' NA as None (json.dumps with allow_nan=False takes them)."""

import json

import numpy as np
import pandas as pd

from annotator.core.stats.jsonsafe import records


def test_every_dtype_gives_plain_values_and_none_for_missing():
    frame = pd.DataFrame(
        {
            "int": np.array([1, 2], dtype=np.int32),
            "nullable_int": pd.array([1, None], dtype="Int64"),
            "float": [1.5, np.nan],
            "infinite": [np.inf, -np.inf],
            "nullable_float": pd.array([0.5, None], dtype="Float64"),
            "text": ["x", None],
            "flag": [True, False],
            "tuple": [(1, np.float64(2.5)), ()],
        }
    )
    rows = records(frame)
    assert rows == [
        {"int": 1, "nullable_int": 1, "float": 1.5, "infinite": None, "nullable_float": 0.5,
         "text": "x", "flag": True, "tuple": [1, 2.5]},
        {"int": 2, "nullable_int": None, "float": None, "infinite": None,
         "nullable_float": None, "text": None, "flag": False, "tuple": []},
    ]  # fmt: skip
    plain = (int, float, bool, str, list, type(None))
    assert all(type(v) in plain for r in rows for v in r.values())
    json.dumps(rows, allow_nan=False)
