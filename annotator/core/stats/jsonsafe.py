"""Turn results into plain JSON values: no NaN/inf (None instead), no numpy types."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as dicts of plain Python values, NaN as None."""
    cols = list(df.columns)
    data = [_column(df[c]) for c in cols]
    return [dict(zip(cols, row, strict=True)) for row in zip(*data, strict=True)]


def _column(series: pd.Series) -> list[Any]:
    """One column's values made JSON-safe, a whole numeric column at once."""
    if not isinstance(series.dtype, np.dtype):  # pandas' nullable types hold pd.NA
        return [clean(v) for v in series.tolist()]
    kind = series.dtype.kind
    if kind in "iub":
        return series.tolist()  # plain ints and bools
    if kind == "f":
        values = series.to_numpy(dtype=np.float64)
        out = values.astype(object)
        out[~np.isfinite(values)] = None
        return out.tolist()
    return [clean(v) for v in series.tolist()]


def clean(value: Any) -> Any:
    """One value (possibly nested) made JSON-safe."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return records(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value
