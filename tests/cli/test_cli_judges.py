"""Issue 17 through the command line: judges import, preferences import --judges, judges
PROJECT (--use/--unuse, --epsilon), and report --json's judges section checked against
numbers computed here from the file (SQL, scipy, ppi_python)."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest
from scipy import stats as sps

from annotator.cli import main
from tests.core.usecases.judges_data import DIMS, build, sql_frames

KEYS = ("spearman", "pearson", "mae", "bias", "kappa", "alpha_humans", "alpha_with_judge",
        "winning_rate", "advantage_probability", "epsilon", "passed")  # fmt: skip


def _run(capsys, *argv, json_out=True):
    code = main([*argv, "--json"] if json_out else list(argv))
    out = capsys.readouterr()
    text = out.out or out.err
    if not json_out:
        return code, out.out, out.err
    try:
        return code, json.loads(text)
    except json.JSONDecodeError:
        return code, text


@pytest.fixture
def lead(tmp_path):
    project, files = build(tmp_path, human_items=34)
    path = project.path
    project.meta.set("language", "en")
    project.db.conn.commit()
    project.close()
    return path, files


def _judges_files(capsys, path, files):
    for name in ("close", "guess"):
        code, data = _run(capsys, "judges", "import", str(path), str(files[name]))
        assert code == 0, data
        assert data["new"] == 2 * 40 * len(DIMS) and data["judges"] == [name]
        code, data = _run(
            capsys, "preferences", "import", str(path), str(files[f"{name}_battles"]), "--judges"
        )
        assert code == 0, data
        assert data["new"] == 80 and data["raters"] == [name]


@pytest.mark.slow
def test_import_list_promote_and_report(lead, capsys):
    path, files = lead
    _judges_files(capsys, path, files)
    code, data = _run(capsys, "judges", str(path))
    assert code == 0
    assert [j["name"] for j in data["judges"]] == ["close", "guess"]
    assert data["settings"]["epsilon"] == 0.2
    code, out, err = _run(capsys, "judges", str(path), json_out=False)
    assert "sha256:" in out and "the judge can replace a rater on relevance" in out
    assert "the judge cannot replace a rater on relevance" in out
    # refused: the test failed; nothing changes
    code, out, err = _run(capsys, "judges", str(path), "--use", "guess", json_out=False)
    assert code == 1 and "has not passed the alternative annotator test" in err
    assert "Traceback" not in err
    code, data = _run(capsys, "judges", str(path), "--use", "close")
    assert code == 0 and data["changed"]["promoted"] is True
    code, out, _ = _run(capsys, "report", str(path), json_out=False)
    assert "Judges (alternative annotator test with epsilon = 0.2" in out
    assert "the judge close counts as a rater (promoted by the lead; it passed the" in out
    assert "file:close.csv|kind:imported|sha256:" in out
    code, data = _run(capsys, "judges", str(path), "--unuse", "close", "--epsilon", "crowd")
    assert code == 0 and data["settings"] == {"epsilon": 0.1, "level": "crowd",
                                              "gate_source": "humans"}  # fmt: skip
    assert data["changed"]["promoted"] is False


def test_report_json_judges_section_against_references(lead, capsys):
    ppi_py = pytest.importorskip("ppi_py")
    path, files = lead
    _judges_files(capsys, path, files)
    code, data = _run(capsys, "report", str(path))
    assert code == 0
    judges = {j["name"]: j for j in data["judges"]}
    assert set(judges) == {"close", "guess"}
    human, scores, items = sql_frames(path)
    for name, judge in judges.items():
        assert judge["promoted"] is False and judge["counts"]["scores"] == 320
        assert judge["signature"]["kind"] == "imported"
        for row in judge["dimensions"]:
            assert set(KEYS) <= set(row)
        mine = scores[scores.judge == name]
        for row in judge["dimensions"]:
            if row["dimension"] == "all":
                continue
            h = human[human.dimension == row["dimension"]].groupby("item_id").score.mean()
            j = mine[mine.dimension == row["dimension"]].set_index("item_id").score
            j = j.loc[h.index]
            assert row["spearman"] == pytest.approx(sps.spearmanr(j, h).statistic)
            assert row["pearson"] == pytest.approx(sps.pearsonr(j, h).statistic)
            assert row["mae"] == pytest.approx(np.mean(np.abs(j - h)))
        for m in judge["ppi"]:
            if m["dimension"] == "composite":
                continue
            ids = set(items[items.model == m["model"]].item_id)
            h = human[human.item_id.isin(ids) & (human.dimension == m["dimension"])]
            y = h.groupby("item_id").score.mean()
            yhat = mine[mine.item_id.isin(ids) & (mine.dimension == m["dimension"])]
            yhat = yhat.set_index("item_id").score.astype(float)
            args = (y.to_numpy(), yhat.loc[y.index].to_numpy(), yhat.drop(y.index).to_numpy())
            low, high = ppi_py.ppi_mean_ci(*args, alpha=0.05)
            assert m["ci"]["low"] == pytest.approx(float(np.squeeze(low)))
            assert m["ci"]["high"] == pytest.approx(float(np.squeeze(high)))
            point = float(np.squeeze(ppi_py.ppi_mean_pointestimate(*args)))
            assert m["mean"] == pytest.approx(point)
            assert (m["n_human"], m["n_judge"]) == (34, 40)
        assert judge["side_by_side"]["consistency"] is not None
    assert judges["close"]["dimensions"][0]["passed"] is True
    assert judges["guess"]["dimensions"][0]["passed"] is False


def test_hostile_files_change_nothing(lead, capsys, tmp_path):
    path, _ = lead
    before = path.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("item_id,model,judge,dimension,score\ns1,base,j,tone,9\n", encoding="utf-8")
    code, out, err = _run(capsys, "judges", "import", str(path), str(bad), json_out=False)
    assert code == 1 and 'unknown dimension "tone"' in err and 'score "9"' in err
    assert "Traceback" not in err
    human = tmp_path / "human.csv"
    human.write_text("item_id,model,judge,dimension,score\ns1,base,ann,fluency,3\n", "utf-8")
    code, out, err = _run(capsys, "judges", "import", str(path), str(human), json_out=False)
    assert code == 1 and "a judge is not a person" in err
    code, out, err = _run(capsys, "judges", "import", str(path), str(tmp_path / "none.csv"),
                          json_out=False)  # fmt: skip
    assert code == 1 and "file not found" in err
    nojudge = tmp_path / "nojudge.csv"
    nojudge.write_text("item_id,model,dimension,score\ns1,base,fluency,3\n", "utf-8")
    code, out, err = _run(capsys, "judges", "import", str(path), str(nojudge), json_out=False)
    assert code == 1 and "--judge" in err
    code, data = _run(capsys, "judges", "import", str(path), str(nojudge), "--judge", "qwen")
    assert code == 0 and data["judges"] == ["qwen"]
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM judge_scores").fetchone() == (1,)
    con.close()
    code, out, err = _run(capsys, "preferences", "import", str(path), str(nojudge), "--judge",
                          "qwen", json_out=False)  # fmt: skip
    assert code == 1 and "--judge goes with --judges" in err
    code, out, err = _run(capsys, "judges", str(path), "--use", "nobody", json_out=False)
    assert code == 1 and 'no judge "nobody"' in err
    code, out, err = _run(capsys, "judges", str(path), "--epsilon", "0.3", json_out=False)
    assert code == 1 and "0.15 (skilled)" in err
    assert before != path.read_bytes()  # only the one good import wrote


def test_gates_from_a_judge_said_in_the_report(lead, capsys):
    path, files = lead
    assert _run(capsys, "judges", "import", str(path), str(files["close"]))[0] == 0
    code, data = _run(capsys, "judges", str(path), "--gates-from", "close")
    assert code == 0 and data["settings"]["gate_source"] == "close"
    code, out, _ = _run(capsys, "report", str(path), json_out=False)
    assert code == 0
    assert 'use the prediction-powered means of the judge "close"' in out
    code, text = _run(capsys, "judges", str(path), "--gates-from", "nobody")
    assert code == 1 and 'no judge "nobody"' in text["error"]
    assert (
        _run(capsys, "judges", str(path), "--gates-from", "humans")[1]["settings"]["gate_source"]
        == "humans"
    )
    code, out, _ = _run(capsys, "report", str(path), json_out=False)
    assert "prediction-powered means of the judge" not in out
