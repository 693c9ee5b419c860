"""When ``workers=None`` starts the pool: only for a large input with a core to spare."""

from __future__ import annotations

import pytest

from annotator.core.metrics import get_preset, suite


@pytest.fixture
def two_cores(monkeypatch):
    monkeypatch.setattr(suite.os, "cpu_count", lambda: 2)


def test_small_input_stays_in_this_process(two_cores, monkeypatch):
    monkeypatch.setattr(suite.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert suite.auto_workers(100_000) == 1
    assert suite.auto_workers(suite.AUTO_POOL_PAIRS) == 2


def test_busy_machine_stays_in_this_process(two_cores, monkeypatch):
    monkeypatch.setattr(suite.os, "getloadavg", lambda: (1.5, 1.0, 1.0))
    assert suite.auto_workers(10 * suite.AUTO_POOL_PAIRS) == 1
    monkeypatch.setattr(suite.os, "getloadavg", lambda: (0.4, 1.0, 1.0))
    assert suite.auto_workers(10 * suite.AUTO_POOL_PAIRS) == 1  # int(2 - 0.4) = 1


def test_no_load_average_uses_the_cores(two_cores, monkeypatch):
    def missing():
        raise OSError("no load average")

    monkeypatch.setattr(suite.os, "getloadavg", missing)
    assert suite.auto_workers(suite.AUTO_POOL_PAIRS) == 2


def test_default_compute_does_not_start_a_pool(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("the pool was started")

    monkeypatch.setattr(suite, "ProcessPoolExecutor", no_pool)
    refs = ["模型的参考答案" * 3] * 6000
    hyps = ["模型生成的答案" * 3] * 6000
    result = get_preset("default").compute(refs, hyps)
    assert len(result.values["bleu"]) == 6000
