"""The gates' source: the model gates on human means use a judge's prediction-powered means
only when the lead chooses it; item verdicts and every human statistic stay as they were."""

from __future__ import annotations

import json

import pytest

from annotator.core.domain.errors import AnnotatorError
from tests.core.usecases.judges_data import build


@pytest.fixture
def ppi_project(tmp_path):
    # 30 of 40 samples rated by the humans; the judge "close" scored all 40
    project, files = build(tmp_path, human_items=30, judges=("close",), battles=False)
    project.judges.import_scores(files["close"])
    yield project
    project.close()


def _composite(evaluation, model):
    verdict = next(v for v in evaluation.verdicts.models if v.model == model)
    return next(e for e in verdict.evidence if e.key == "composite")


def test_the_gates_use_the_judges_ppi_means_only_when_chosen(ppi_project):
    project = ppi_project
    before = project.evaluate(resamples=200)
    assert before.gates_from is None and before.to_dict()["gates_from"]["judge"] is None
    settings = project.judges.configure(gates_from="CLOSE")  # matched as --use matches
    assert settings["gate_source"] == "close"
    after = project.evaluate(resamples=200)
    assert after.gates_from == "close"
    means = {(m.model, m.dimension): m for m in after.judges.get("close").means}
    for model in ("base", "lora-v2"):
        ppi, human = means[(model, "composite")], _composite(before, model)
        shown = _composite(after, model)
        assert (shown.value, shown.low, shown.high) == pytest.approx((ppi.mean, *ppi.ci))
        assert shown.n == ppi.n_human == 30
        # the human-only gate read the human-only mean, which the PPI mean differs from
        summary = next(s for s in before.stats.models if s.model == model)
        assert human.value == pytest.approx(summary.means["composite"].mean)
        assert ppi.mean != pytest.approx(human.value)
    # nothing else changes: item verdicts, the human statistics
    assert after.verdicts.items.equals(before.verdicts.items)
    assert after.stats.to_dict() == before.stats.to_dict()
    words = after.to_dict()["gates_from"]["text"]
    assert '"close"' in words and "prediction-powered" in words
    json.dumps(after.to_dict(), allow_nan=False)
    assert project.judges.configure(gates_from="humans")["gate_source"] == "humans"
    assert project.evaluate(resamples=200).gates_from is None


def test_a_gate_source_that_is_no_judge_is_refused_and_nothing_changes(ppi_project, tmp_path):
    project = ppi_project
    before = project.path.read_bytes()
    with pytest.raises(AnnotatorError, match='no judge "gpt" in this project; its judges: close'):
        project.judges.configure(gates_from="gpt")
    with pytest.raises(AnnotatorError):  # both checked before either is written
        project.judges.configure(epsilon="crowd", gates_from="gpt")
    assert project.path.read_bytes() == before
    assert project.judges.settings() == {"epsilon": 0.2, "level": "expert",
                                         "gate_source": "humans"}  # fmt: skip


def test_a_judge_with_no_scores_gives_no_means(tmp_path):
    project, files = build(tmp_path, judges=("close",))
    project.judges.import_preferences(files["close_battles"])  # verdicts, no scores
    with pytest.raises(AnnotatorError, match="has scored no item"):
        project.judges.configure(gates_from="close")
    project.close()
