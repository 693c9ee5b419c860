"""Judges in the evaluation: never in a human statistic or a hand-out unless promoted; their
numbers against independent references on data read back with SQL (scipy, scikit-learn,
krippendorff, ppi_python, and the alternative annotator test re-typed from the paper)."""

from __future__ import annotations

import sqlite3
import zipfile

import krippendorff
import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from sklearn.metrics import cohen_kappa_score

from annotator.core.domain.errors import AnnotatorError
from tests.core.usecases.judges_data import DIMS, HUMANS, build, sql_frames


@pytest.fixture
def judged(tmp_path):
    project, files = build(tmp_path)
    yield project, files
    project.close()


def import_judges(project, files, names=("close", "guess")):
    for name in names:
        project.judges.import_scores(files[name])
        project.judges.import_preferences(files[f"{name}_battles"])


def human_view(evaluation) -> dict:
    return {
        "stats": evaluation.stats.to_dict(include_items=True),
        "verdicts": evaluation.verdicts.to_dict(include_items=True),
        "pairwise": evaluation.pairwise.to_dict(),
        "comparisons": [c.to_dict() for c in evaluation.stats.comparisons],
    }


# -- never counted unless promoted ------------------------------------------------------------
@pytest.mark.slow
def test_a_judge_changes_no_human_statistic(judged):
    project, files = judged
    before = project.evaluate(resamples=200)
    assert before.judges is None
    import_judges(project, files)
    after = project.evaluate(resamples=200)
    assert human_view(after) == human_view(before)
    assert [j.name for j in after.judges.judges] == ["close", "guess"]
    assert after.judges.promoted() == []
    raters = {r["rater"] for r in after.stats.to_dict()["raters"]}
    assert raters == set(HUMANS)


def _dump(path) -> str:
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def test_packages_sheets_and_sessions_hold_no_judge(judged, tmp_path):
    project, files = judged
    import_judges(project, files)
    project.assign(list(HUMANS), per_item=2, seed=3)
    package = project.create_package("ann", tmp_path / "ann.annotator").path
    text = _dump(package)
    for word in ("close", "guess", "理由", "judge:"):
        assert word not in text, word
    con = sqlite3.connect(package)
    for table in ("judges", "judge_scores", "judge_judgments", "judge_failures"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    con.close()
    sheet = project.create_sheet("bo", tmp_path / "bo.xlsx").path
    with zipfile.ZipFile(sheet) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for word in ("close", "guess", "理由"):
        assert word not in xml, word
    statements = []
    project.db.conn.set_trace_callback(statements.append)
    try:
        s = project.session("cy")
        for index in range(3):
            item = s.item(index)
            s.scores(item.id)
            s.set_score(item.id, "fluency", 4)
    finally:
        project.db.conn.set_trace_callback(None)
    assert statements and not [q for q in statements if "judge" in q.lower()]


# -- the numbers against references -----------------------------------------------------------
def _joined(human, judge, dimension):
    if dimension != "all":
        human, judge = human[human.dimension == dimension], judge[judge.dimension == dimension]
    keys = ["item_id", "dimension"]
    h = human.groupby(keys)["score"].agg(["mean", "median"]).reset_index()
    return h.merge(judge[[*keys, "score"]], on=keys), human.merge(judge[keys], on=keys)


def _alpha(frame: pd.DataFrame) -> float:
    wide = frame.assign(unit=frame.item_id.astype(str) + frame.dimension).pivot_table(
        index="rater", columns="unit", values="score"
    )
    return krippendorff.alpha(reliability_data=wide.to_numpy(), level_of_measurement="ordinal")


def test_agreement_numbers_match_scipy_sklearn_and_krippendorff(judged):
    project, files = judged
    import_judges(project, files)
    report = project.judges.evaluate()
    human, judges, _ = sql_frames(project.path)
    for name in ("close", "guess"):
        judge = judges[judges.judge == name]
        got = {d.dimension: d for d in report.get(name).dimensions}
        assert set(got) == {*DIMS, "all"}
        for dimension in [*DIMS, "all"]:
            both, humans = _joined(human, judge, dimension)
            x, y = both["score"].to_numpy(float), both["mean"].to_numpy()
            median = np.floor(both["median"].to_numpy() + 0.5).astype(int)
            d = got[dimension]
            assert d.n == len(both)
            assert d.spearman == pytest.approx(sps.spearmanr(x, y).statistic)
            assert d.pearson == pytest.approx(sps.pearsonr(x, y).statistic)
            assert d.mae == pytest.approx(np.mean(np.abs(x - y)))
            assert d.bias == pytest.approx(np.mean(x - y))
            kappa = cohen_kappa_score(x.astype(int), median, weights="quadratic",
                                      labels=[1, 2, 3, 4, 5])  # fmt: skip
            assert d.kappa == pytest.approx(kappa)
            assert d.alpha_humans == pytest.approx(_alpha(humans))
            with_judge = pd.concat([humans, judge[judge.item_id.isin(both.item_id)
                                                  & judge.dimension.isin(both.dimension)]
                                    .rename(columns={"judge": "rater"})])  # fmt: skip
            if dimension != "all":
                assert d.alpha_with_judge == pytest.approx(_alpha(with_judge))


def _reference_alt_test(human, judge, epsilon, q=0.05):
    """Calderon, Reichart and Dror (2025), Algorithm 1, typed from the paper: for each
    human j, the instances j annotated (with the judge and another human); S = -RMSE of an
    annotation against the others; W_f = [S_f >= S_j], W_h = [S_j >= S_f]; H0: rho_f <=
    rho_h - epsilon, a one-sided paired t-test; BY at q; omega = share of rejected nulls,
    rho = mean rho_f. Units are (item, dimension)."""
    units = {}
    for row in human.itertuples():
        units.setdefault((row.item_id, row.dimension), {})[row.rater] = row.score
    verdict = {(r.item_id, r.dimension): r.score for r in judge.itertuples()}
    p_values, rhos = [], []
    for j in sorted(human.rater.unique()):
        w_f, w_h = [], []
        for unit, scores in units.items():
            if j not in scores or len(scores) < 2 or unit not in verdict:
                continue
            others = [s for r, s in scores.items() if r != j]
            s_f = -np.sqrt(np.mean([(verdict[unit] - o) ** 2 for o in others]))
            s_h = -np.sqrt(np.mean([(scores[j] - o) ** 2 for o in others]))
            w_f.append(1.0 if s_f >= s_h else 0.0)
            w_h.append(1.0 if s_h >= s_f else 0.0)
        if len(w_f) < 30:
            continue
        diff = np.array(w_h) - np.array(w_f)
        if np.std(diff) == 0:
            p = 0.0 if np.mean(diff) < epsilon else 1.0
        else:
            t = (np.mean(diff) - epsilon) / (np.std(diff, ddof=1) / np.sqrt(len(diff)))
            p = sps.t.cdf(t, len(diff) - 1)
        p_values.append(p)
        rhos.append(np.mean(w_f))
    m = len(p_values)
    harmonic = sum(1 / i for i in range(1, m + 1))
    ranked = sorted(range(m), key=lambda i: p_values[i])
    k = max([r + 1 for r, i in enumerate(ranked) if p_values[i] <= (r + 1) * q / (m * harmonic)],
            default=0)  # fmt: skip
    omega = k / m
    return omega, float(np.mean(rhos)), omega >= 0.5


def test_alternative_annotator_test_matches_the_papers_algorithm(judged):
    project, files = judged
    import_judges(project, files)
    report = project.judges.evaluate()
    human, judges, _ = sql_frames(project.path)
    for name, expect_pass in (("close", True), ("guess", False)):
        judge = judges[judges.judge == name]
        for d in report.get(name).dimensions:
            h = human if d.dimension == "all" else human[human.dimension == d.dimension]
            j = judge if d.dimension == "all" else judge[judge.dimension == d.dimension]
            omega, rho, passed = _reference_alt_test(h, j, 0.2)
            assert d.winning_rate == pytest.approx(omega), (name, d.dimension)
            assert d.advantage_probability == pytest.approx(rho), (name, d.dimension)
            assert d.passed is passed is expect_pass, (name, d.dimension)
            assert d.epsilon == 0.2


def test_the_test_says_what_is_missing(tmp_path):
    project, files = build(tmp_path, n=12, judges=("close",), battles=False)
    project.judges.import_scores(files["close"])
    d = project.judges.evaluate().get("close").dimensions[0]
    assert d.passed is None and d.winning_rate is None
    assert "30 or more items" in d.reading.text("en")
    assert d.spearman is not None  # the agreement numbers are there all the same
    project.close()


def test_side_by_side_accuracy_and_consistency(judged):
    project, files = judged
    import_judges(project, files)
    report = project.judges.evaluate()
    con = sqlite3.connect(project.path)
    human = pd.read_sql_query("SELECT comparison_id, outcome FROM judgments", con)
    judge = pd.read_sql_query(
        "SELECT g.comparison_id, j.name, g.outcome FROM judge_judgments g "
        "JOIN judges j ON j.id = g.judge_id",
        con,
    )
    con.close()
    majority = {}
    for cid, group in human.groupby("comparison_id"):
        counts = group.outcome.value_counts()
        if len(counts) == 1 or counts.iloc[0] > counts.iloc[1]:
            majority[cid] = counts.index[0]
    for name in ("close", "guess"):
        mine = judge[judge.name == name].groupby("comparison_id").outcome.agg(list)
        combined = {cid: o[0] if len(set(o)) == 1 else "tie" for cid, o in mine.items()}
        hits = [combined[c] == m for c, m in majority.items()]
        p = report.get(name).pairwise
        assert p.n == len(hits)
        assert p.accuracy == pytest.approx(np.mean(hits))
        assert p.both_orders == len(mine)
        assert p.consistency == pytest.approx(np.mean([len(set(o)) == 1 for o in mine]))
    assert report.get("close").pairwise.passed is True
    assert report.get("guess").pairwise.passed is False


def test_ppi_means_match_ppi_python(tmp_path):
    ppi_py = pytest.importorskip("ppi_py")
    project, files = build(tmp_path, human_items=30, judges=("close",), battles=False)
    project.judges.import_scores(files["close"])
    means = project.judges.evaluate().get("close").means
    human, judge, items = sql_frames(project.path)
    assert {(m.model, m.dimension) for m in means} == {
        (model, d) for model in ("base", "lora-v2") for d in (*DIMS, "composite")
    }
    for m in means:
        if m.dimension == "composite":
            continue
        ids = set(items[items.model == m.model].item_id)
        h = human[human.item_id.isin(ids) & (human.dimension == m.dimension)]
        j = judge[judge.item_id.isin(ids) & (judge.dimension == m.dimension)]
        y = h.groupby("item_id").score.mean()
        yhat_all = j.set_index("item_id").score.astype(float)
        labeled = yhat_all.loc[y.index].to_numpy()
        unlabeled = yhat_all.drop(y.index).to_numpy()
        assert (m.n_human, m.n_judge) == (30, 40)
        mean = ppi_py.ppi_mean_pointestimate(y.to_numpy(), labeled, unlabeled)
        low, high = ppi_py.ppi_mean_ci(y.to_numpy(), labeled, unlabeled, alpha=0.05)
        assert m.mean == pytest.approx(float(np.squeeze(mean)))
        assert m.ci == pytest.approx((float(np.squeeze(low)), float(np.squeeze(high))))
        c_low, c_high = ppi_py.classical_mean_ci(y.to_numpy(), alpha=0.05)
        assert m.human_mean == pytest.approx(y.mean())
        assert m.human_ci == pytest.approx((float(np.squeeze(c_low)), float(np.squeeze(c_high))))
        assert m.ci[1] - m.ci[0] < m.human_ci[1] - m.human_ci[0]  # the judge tightens it
    project.close()


# -- promotion ---------------------------------------------------------------------------------
def test_promotion_refused_when_the_test_fails_allowed_when_it_passes(judged):
    project, files = judged
    import_judges(project, files)
    before = project.path.read_bytes()
    with pytest.raises(AnnotatorError) as err:
        project.judges.use("guess")
    text = err.value.message.text("en") if hasattr(err.value, "message") else str(err.value)
    assert "has not passed the alternative annotator test on" in text
    for dimension in (*DIMS, "side-by-side judgments"):
        assert dimension in text
    assert "--force" in text
    assert project.path.read_bytes() == before
    report = project.judges.use("close")
    assert report.promoted and report.changed and not report.forced
    forced = project.judges.use("guess", force=True)
    assert forced.forced and "although it has not passed" in forced.message.text("en")
    assert {j["name"]: j["promoted"] for j in project.judges.list()} == {
        "close": True,
        "guess": True,
    }
    project.judges.use("guess", on=False)
    assert [j.name for j in project.judges.evaluate().promoted()] == ["close"]


@pytest.mark.slow
def test_a_promoted_judge_counts_as_a_rater_and_the_evaluation_says_so(judged):
    project, files = judged
    import_judges(project, files)
    project.judges.use("close")
    evaluation = project.evaluate(resamples=100)
    raters = {r["rater"] for r in evaluation.stats.to_dict()["raters"]}
    assert raters == {*HUMANS, "judge: close"}
    human, judges, _ = sql_frames(project.path)
    close = judges[judges.judge == "close"].rename(columns={"judge": "rater"})
    close["rater"] = "judge: close"
    every = pd.concat([human, close])
    for dimension in DIMS:
        expected = _alpha(every[every.dimension == dimension])
        assert evaluation.stats.alpha_for(dimension).alpha == pytest.approx(expected)
    (result,) = evaluation.judges.promoted()
    words = result.promotion().text("en")
    assert words.startswith("the judge close counts as a rater (promoted by the lead; it passed")
    assert "relevance" in words and "side-by-side judgments" in words
    # the side-by-side statistics count its combined verdict once per comparison
    (pair,) = evaluation.pairwise.to_dict()["pairs"]
    assert pair["judgments"] == len(HUMANS) * 40 + 40
    # its own numbers are still against the humans alone
    alone = {d.dimension: d.alpha_humans for d in result.dimensions}
    assert alone["relevance"] == pytest.approx(_alpha(human[human.dimension == "relevance"]))


def test_epsilon_by_number_or_word(judged):
    project, _ = judged
    assert project.judges.settings()["epsilon"] == 0.2
    assert project.judges.configure(epsilon="crowd")["epsilon"] == 0.1
    assert project.judges.configure(epsilon="0.15")["level"] == "skilled"
    with pytest.raises(AnnotatorError, match="0.2"):
        project.judges.configure(epsilon=0.3)
    assert project.judges.settings()["epsilon"] == 0.15
