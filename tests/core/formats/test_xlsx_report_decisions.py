"""The Summary's decision (issue 15), read back with openpyxl: the baseline and the decision
rule in words, verdict and reading colours, the pass rate's Wilson interval (against
statsmodels) and one paired comparison per candidate, its numbers recomputed with pandas
and scipy from the Items sheet's own rows."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from scipy.stats import t as student_t
from scipy.stats import wilcoxon
from statsmodels.stats.proportion import proportion_confint

from annotator.core.project import Project

DIMS = ("relevance", "fluency", "style", "compliance")
SHIFT = {"base": 0.0, "lora-v1": 0.8, "lora-v2": 0.0}  # lora-v1 scores higher
N = 40
UNRATED = 5  # lora-v2's last samples have no ratings: fewer pairs for the human measures


def _three_models(folder, language: str) -> Project:
    """base, lora-v1 and lora-v2 (imported in that order), BLEU imported, two raters."""
    project = Project.create(folder / f"three-{language}.annotator", "three", language=language)
    rng = np.random.default_rng(7)
    lines = ["item,rater,dimension,score"]
    for model, shift in SHIFT.items():
        rows = ["id,instruction,reference,generated,bleu"]
        rows += [
            f"s{k},ask {k},ref {k},out {k} {model},{rng.uniform(0.2, 0.6):.3f}" for k in range(N)
        ]
        (folder / f"{model}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        project.import_file(folder / f"{model}.csv", model=model)
        rated = N - UNRATED if model == "lora-v2" else N
        for k in range(rated):
            for dim in DIMS:
                for rater in ("alice", "bob"):
                    score = int(np.clip(np.rint(3.3 + shift + rng.normal(0, 0.8)), 1, 5))
                    lines.append(f"{model}/s{k},{rater},{dim},{score}")
    (folder / "ratings.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    project.import_ratings(folder / "ratings.csv")
    return project


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    folder = tmp_path_factory.mktemp("three-en")
    with _three_models(folder, "en") as project:
        out = project.export(folder / "report.xlsx")
        path = project.db.path
    return path, load_workbook(out)


@pytest.fixture(scope="module")
def chinese(tmp_path_factory):
    folder = tmp_path_factory.mktemp("three-zh")
    with _three_models(folder, "zh_CN") as project:
        return load_workbook(project.export(folder / "report.xlsx"))


def _rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _table_below(rows, at: int) -> tuple[list, list[list]]:
    """The header at ``at`` and the rows of numbers under it (up to a note or a blank:
    a note, such as a model's reason, fills no more than the first two cells)."""
    body = []
    for r in rows[at + 1 :]:
        if r[0] is None or all(v is None for v in r[2:]):
            break
        body.append(r)
    return rows[at], body


def _comparisons(rows) -> dict[str, dict[str, dict]]:
    """Section title -> measure -> its row as {header: value}."""
    found = {}
    for i, r in enumerate(rows):
        if isinstance(r[0], str) and " − " in r[0] and all(v is None for v in r[1:]):
            head, body = _table_below(rows, i + 1)
            found[r[0]] = {b[0]: dict(zip(head, b, strict=True)) for b in body}
    return found


def _items(wb, sheet="Items") -> pd.DataFrame:
    rows = _rows(wb[sheet])
    return pd.DataFrame(rows[1:], columns=rows[0])


def _bounds(text: str) -> tuple[float, float]:
    low, high = re.fullmatch(r"\[([-+\d.]+)%?, ([-+\d.]+)%?\]", text).groups()
    return float(low), float(high)


def _pairs(items: pd.DataFrame, baseline: str, candidate: str, value) -> pd.DataFrame:
    """Per sample both models answered (and both complete, for human measures): the
    baseline's and the candidate's value, from the Items sheet."""
    frame = items.assign(value=value(items))
    sides = [
        frame.loc[frame["Model"] == m, ["Sample", "value"]].set_index("Sample")["value"]
        for m in (baseline, candidate)
    ]
    return pd.concat(sides, axis=1, keys=["a", "b"]).dropna().astype(float)


def _human(dim: str):
    """A dimension's item mean from the raters' own scores (integers: exact)."""

    def value(items: pd.DataFrame) -> pd.Series:
        raters = items[[f"alice: {dim}", f"bob: {dim}"]].astype(float)
        return raters.mean(axis=1).where(items["Complete"] == "✓")

    return value


MEASURES = {
    "Relevance": _human("Relevance"),
    "Fluency": _human("Fluency"),
    "Style consistency": _human("Style consistency"),
    "Compliance": _human("Compliance"),
    "bleu": lambda items: items["bleu"],
}


def test_every_candidate_has_its_own_comparison_titled_candidate_minus_baseline(english):
    _, wb = english
    found = _comparisons(_rows(wb["Summary"]))
    titles = list(found)
    assert len(titles) == 2
    assert titles[0].startswith("lora-v1 − base (candidate − baseline")
    assert titles[1].startswith("lora-v2 − base (candidate − baseline")
    for table in found.values():
        assert list(table) == [*MEASURES][:4] + ["Composite", "bleu"]
    v2 = found[titles[1]]
    assert v2["Relevance"]["Pairs"] == N - UNRATED and v2["bleu"]["Pairs"] == N


def test_comparison_numbers_equal_pandas_and_scipy_on_the_items_sheet(english):
    _, wb = english
    items = _items(wb)
    for title, table in _comparisons(_rows(wb["Summary"])).items():
        candidate = title.split(" − ")[0]
        for measure, value in MEASURES.items():
            got = table[measure]
            pairs = _pairs(items, "base", candidate, value)
            diff = pairs["b"] - pairs["a"]
            digits = 3 if measure == "bleu" else 2
            assert got["Pairs"] == len(pairs), (title, measure)
            assert got["base\nmean"] == round(pairs["a"].mean(), digits)
            assert got[f"{candidate}\nmean"] == round(pairs["b"].mean(), digits)
            assert got["Difference"] == pytest.approx(round(diff.mean(), digits), abs=1e-9)
            p = wilcoxon(np.round(diff.to_numpy(), 9), zero_method="wilcox").pvalue
            if measure != "bleu":  # differences of half points: exact, ties seen as ties
                assert got["p (Wilcoxon)"] == ("<0.001" if p < 0.001 else round(p, 3))
            else:  # the core's BLEU differences carry float noise (0.29 - 0.2899999...):
                # scipy sees no ties there and takes its exact test (0.420 against 0.405)
                assert got["p (Wilcoxon)"] == pytest.approx(p, abs=0.02)
            assert got["d_z"] == round(diff.mean() / diff.std(ddof=1), 2)
            low, high = _bounds(got["95% CI"])
            half = student_t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff))
            # a bootstrap interval of a mean of 35-40 pairs is close to Student's t interval
            assert low == pytest.approx(diff.mean() - half, abs=0.25 * half), (title, measure)
            assert high == pytest.approx(diff.mean() + half, abs=0.25 * half), (title, measure)
            expected = "better" if low > 0 else "worse" if high < 0 else "no detectable difference"
            assert got["Reading"] == expected


def test_the_composite_comparison_against_the_items_sheet_composite(english):
    _, wb = english
    items = _items(wb)
    table = _comparisons(_rows(wb["Summary"]))
    got = next(iter(table.values()))["Composite"]
    pairs = _pairs(items, "base", "lora-v1", lambda t: t["Composite"].where(t["Complete"] == "✓"))
    diff = pairs["b"] - pairs["a"]
    assert got["Pairs"] == len(pairs) == N
    # the sheet holds composites rounded to 2 digits: their mean is within 0.005 of the true one
    assert got["Difference"] == pytest.approx(diff.mean(), abs=0.006)
    assert got["Reading"] == "better"  # lora-v1 was rated 0.8 higher on every dimension


def test_models_table_pass_rate_and_wilson_interval_against_statsmodels(english):
    _, wb = english
    rows = _rows(wb["Summary"])
    at = next(i for i, r in enumerate(rows) if r[:3] == ["Model", "Items", "Complete"])
    head, body = _table_below(rows, at)
    items = _items(wb)
    assert [r[0] for r in body] == list(SHIFT)
    ci_col = head.index("95% CI (Wilson)")
    assert head.index("Complete") == 2 and head[3] == "Relevance"  # next to the means
    for r in body:
        verdicts = items.loc[items["Model"] == r[0], "Verdict"]
        n_pass, n_fail = int((verdicts == "PASS").sum()), int((verdicts == "FAIL").sum())
        complete = int((items.loc[items["Model"] == r[0], "Complete"] == "✓").sum())
        assert r[2] == complete
        assert r[head.index("Item pass rate")] == round(n_pass / (n_pass + n_fail), 2)
        low, high = proportion_confint(n_pass, n_pass + n_fail, alpha=0.05, method="wilson")
        assert _bounds(r[ci_col]) == (round(low * 100), round(high * 100)), r[0]
        assert r[head.index("Verdict")] in ("PASS", "FAIL", "INCONCLUSIVE", "NEEDS MORE DATA")


def test_baseline_and_decision_rule_are_said(english):
    _, wb = english
    cells = [r[0] for r in _rows(wb["Summary"])[:12]]
    assert "baseline: base (its name says it is the model before fine-tuning)" in cells
    rule = next(c for c in cells if str(c).startswith("Decision rule: "))
    assert rule.startswith("Decision rule: 95% interval") and "needs 30 complete samples" in rule


def test_a_named_baseline_a_point_rule_and_too_few_samples_change_the_summary(english, tmp_path):
    path, _ = english
    copy = shutil.copy(path, tmp_path / "copy.annotator")
    with Project.open(copy) as project:
        project.set_baseline("lora-v1")
        project.edit_gates(decision="point", minimum=N - 2, disable=["compliance"])
        wb = load_workbook(project.export(tmp_path / "r.xlsx"))
    rows = _rows(wb["Summary"])
    cells = [r[0] for r in rows]
    assert "baseline: lora-v1 (named by the lead)" in cells
    assert any(str(c).startswith("Decision rule: point estimate") for c in cells)
    assert any("needs 38 complete samples" in str(c) for c in cells)
    found = {t.split(" (")[0]: table for t, table in _comparisons(rows).items()}
    assert list(found) == ["base − lora-v1", "lora-v2 − lora-v1"]
    # the model before fine-tuning, now read against the fine-tune
    assert found["base − lora-v1"]["Composite"]["Reading"] == "worse"
    assert found["base − lora-v1"]["Composite"]["Difference"] < 0
    at = next(i for i, r in enumerate(rows) if r[:3] == ["Model", "Items", "Complete"])
    head, body = _table_below(rows, at)
    verdict = {r[0]: r[head.index("Verdict")] for r in body}
    assert verdict["lora-v2"] == "NEEDS MORE DATA"  # 35 complete samples of 38 needed


def test_each_verdict_and_reading_has_its_own_colour(english):
    _, wb = english
    ws = wb["Summary"]
    colours = {}
    for cf in ws.conditional_formatting:
        assert str(cf.sqref).startswith("A1:")
        for rule in cf.rules:
            colours[rule.formula[0].strip('"')] = (
                rule.dxf.fill.fgColor.rgb,
                rule.dxf.font.color.rgb,
            )
    verdicts = ["PASS", "FAIL", "NEEDS REVIEW", "INCONCLUSIVE", "NEEDS MORE DATA"]
    assert len({colours[v] for v in verdicts}) == 5
    readings = ["better", "no detectable difference", "worse"]
    assert len({colours[v] for v in readings}) == 3
    assert colours["better"] == colours["PASS"] and colours["worse"] == colours["FAIL"]
    for fill, font in colours.values():  # WCAG AA for normal text: a contrast of 4.5
        assert (_luminance(fill) + 0.05) / (_luminance(font) + 0.05) >= 4.5, (fill, font)
    used = {v for r in _rows(ws) for v in r if v in colours}
    assert {"better", "no detectable difference"} <= used


def _luminance(argb: str) -> float:
    """WCAG's relative luminance of an (A)RGB colour."""
    channels = [int(argb[-6:][k : k + 2], 16) / 255 for k in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_a_chinese_project_says_its_decision_in_chinese(chinese):
    rows = _rows(chinese["总览"])
    cells = [r[0] for r in rows]
    assert "基线：base（其名称表明是微调前的模型）" in cells
    assert any(str(c).startswith("判定规则：95% 区间") for c in cells)
    words = {v for r in rows for v in r if isinstance(v, str)}
    assert {"差值", "解读", "更好", "无可检出差异", "95%置信区间 (Wilson)"} <= words
    assert "better" not in words and "no detectable difference" not in words
    assert "（差值：逐样本“候选 − 基线”的均值" in "".join(str(c) for c in cells)


def test_a_chinese_project_titles_its_comparisons_in_chinese(chinese):
    """Needs the catalog entry of /tmp/i18n15/excel.json (the lead fills the catalog)."""
    titles = [r[0] for r in _rows(chinese["总览"]) if " − base" in str(r[0])]
    assert [t.split("（")[0] for t in titles] == ["lora-v1 − base", "lora-v2 − base"]
    assert all("（候选 − 基线" in t for t in titles)
