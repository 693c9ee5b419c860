"""pandas on first use: a rater's window opens without importing it (a third of a second)."""

from __future__ import annotations

import importlib
from typing import Any


class _LazyModule:
    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self._name)
        return getattr(module, attr)


pd: Any = _LazyModule("pandas")
