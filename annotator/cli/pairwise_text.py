"""The side-by-side part of ``annotator report`` as text: the GSB table of each pair of
models, the pooled position bias, and the Bradley-Terry leaderboard (``report --json``'s
``pairwise`` section, read back)."""

from __future__ import annotations

from annotator.cli._table import text_table
from annotator.core.i18n import tr


def _share(value) -> str:
    return "-" if value is None else f"{value:.0%}"


def _signed(value, ci: dict) -> str:
    if value is None:
        return "-"
    low, high = ci.get("low"), ci.get("high")
    bounds = "" if low is None else f" [{low:+.2f}, {high:+.2f}]"
    return f"{value:+.2f}{bounds}"


def _rate(value, ci: dict) -> str:
    if value is None:
        return "-"
    low, high = ci.get("low"), ci.get("high")
    bounds = "" if low is None else f" [{low:.2f}, {high:.2f}]"
    return f"{value:.2f}{bounds}"


def _p(value) -> str:
    return "-" if value is None else f"{value:.2g}"


def _row(pair: dict, names: dict[str, str]) -> list[str]:
    dim = pair["dimension"]
    alpha = (pair.get("agreement") or {}).get("alpha") or {}
    bias = pair.get("position_bias") or {}
    return [
        f"{pair['model_a']} : {pair['model_b']}",
        names.get(dim, dim) if dim else tr("overall"),
        *(str(pair[k]) for k in ("wins", "ties", "losses", "both_bad", "judgments", "samples")),
        _rate(pair["win_rate"], pair["win_rate_ci"]),
        _signed(pair["net"], pair["net_ci"]),
        _p(pair["sign_p"]),
        "-" if alpha.get("alpha") is None else f"{alpha['alpha']:.2f}",
        _share((pair.get("agreement") or {}).get("percent")),
        f"{_share(bias.get('share_left'))} ({_p(bias.get('p_value'))})",
    ]


def _leaderboard(bt: dict) -> list[str]:
    lines = [
        "",
        tr(
            "Bradley-Terry ratings (Elo scale, {anchor} = {rating:g}; 100 points = 64% wins):",
            anchor=bt["anchor"],
            rating=bt["anchor_rating"],
        ),
    ]
    rows = [[tr("rank"), tr("model"), tr("rating"), tr("95% CI")]]
    for entry in bt["leaderboard"]:
        ci = entry.get("ci") or {}
        low, high = ci.get("low"), ci.get("high")
        bounds = "-" if low is None else f"[{low:.0f}, {high:.0f}]"
        rows.append([str(entry["rank"]), entry["model"], f"{entry['rating']:.0f}", bounds])
    lines += text_table(rows, right={0, 2, 3})
    if bt.get("note"):
        lines.append(f"({bt['note']})")
    return lines


def format_pairwise(data: dict | None, names: dict[str, str] | None = None) -> list[str]:
    """The lines of the side-by-side section; none when nothing was judged side by side."""
    if not data or not data.get("pairs"):
        return []
    names = names or {}
    head = [tr("A : B"), tr("dimension"), tr("A better"), tr("same"), tr("B better"),
            tr("both bad"), tr("judgments"), tr("samples"), tr("win rate of A"), tr("net"),
            tr("sign p"), tr("alpha"), tr("agree"), tr("left chosen (p)")]  # fmt: skip
    rows = [head] + [_row(p, names) for p in data["pairs"]]
    bias = data.get("position_bias") or {}
    lines = [
        "",
        tr("Side by side (GSB): A is the candidate, B the model it is compared with"),
        *text_table(rows, right=set(range(2, 13))),
        tr(
            "(win rate = (A better + half of same and both bad) / judgments; net = (A better -"
            " B better) / judgments; 95% intervals resample samples; sign test on A better vs"
            " B better; alpha: ordinal, on -1/0/+1)"
        ),
        tr(
            "Position bias: {share} of the judgments that chose a side chose the left answer"
            " (binomial test against 50%: p = {p})",
            share=_share(bias.get("share_left")),
            p=_p(bias.get("p_value")),
        ),
    ]
    if data.get("bradley_terry"):
        lines += _leaderboard(data["bradley_terry"])
    return lines
