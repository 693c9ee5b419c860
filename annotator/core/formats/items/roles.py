"""Which column holds what: roles from common English and Chinese names, and metric columns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from annotator.core.domain.errors import InputError, MissingColumn, Notice, Problem
from annotator.core.domain.message import Message
from annotator.core.i18n import tr

ROLES = ("instruction", "input", "reference", "generated", "id", "model")
REQUIRED = ("instruction", "reference", "generated")

# Normalised names (see ``normalise``), best first: the first listed wins a tie.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "instruction": ("instruction", "prompt", "query", "question", "指令", "问题", "提示"),
    "input": ("input", "输入"),
    "reference": (
        "reference",
        "label",
        "answer",
        "target",
        "gold",
        "groundtruth",
        "参考答案",
        "标准答案",
        "参考",
        "ref",
        "expected",
        "expectedoutput",
    ),
    "generated": (
        "generated",
        "predict",
        "prediction",
        "generation",
        "response",
        "output",
        "生成",
        "模型输出",
        "生成文本",
        "生成结果",
        "pred",
        "modeloutput",
    ),
    "id": ("id", "sampleid", "编号", "样本id", "idx", "样本编号"),
    "model": ("model", "modelname", "system", "version", "模型", "模型名称"),
}

# Normalised metric names -> canonical names.
METRICS: dict[str, str] = {
    "bleu": "bleu",
    "bleu4": "bleu",
    "sacrebleu": "bleu",
    "rouge1": "rouge-1",
    "rouge2": "rouge-2",
    "rougel": "rouge-l",
    "rougelsum": "rouge-lsum",
    "perplexity": "perplexity",
    "ppl": "perplexity",
    "accuracy": "accuracy",
    "acc": "accuracy",
    "f1": "f1",
    "f1score": "f1",
    "meteor": "meteor",
    "bertscore": "bertscore",
    "bertscoref1": "bertscore",
    "bertscoref": "bertscore",
    "chrf": "chrf",
    "chrf++": "chrf++",
    "exactmatch": "exact-match",
    "em": "exact-match",
}
UNBOUNDED_METRICS = frozenset({"perplexity"})
_METRIC_PREFIXES = ("predict", "eval", "test", "avg", "mean")
_SEPARATORS = re.compile(r"[\s_\-\u3000]+")


def normalise(name: str) -> str:
    """Lower case, without spaces, underscores and dashes: "Sample_ID" -> "sampleid"."""
    return _SEPARATORS.sub("", name).casefold()


def metric_name(column: str) -> str | None:
    """Canonical metric of a column name ("predict_rouge-l" -> "rouge-l"), or None."""
    name = normalise(column)
    for prefix in _METRIC_PREFIXES:
        if name.startswith(prefix) and name[len(prefix) :] in METRICS:
            name = name[len(prefix) :]
            break
    return METRICS.get(name)


@dataclass
class Roles:
    """Outcome of role detection for one file's columns."""

    roles: dict[str, str]
    metric_columns: dict[str, str]
    metadata_columns: list[str]
    missing: list[str]
    notices: list[Notice] = field(default_factory=list)


def detect_roles(
    columns: list[str], mapping: dict[str, str | None] | None = None, *, file: str | None = None
) -> Roles:
    """Guess each column's role; ``mapping`` ({role: column}) overrides, None/"" unsets a role.

    Missing required roles are listed in ``missing``, not raised: a wizard shows them.

    Raises:
        InputError: mapping names an unknown role or a column that does not exist.
    """
    mapping = dict(mapping or {})
    problems = []
    for role, column in mapping.items():
        if role not in ROLES:
            problems.append(
                Problem(
                    Message(
                        'unknown role "{role}" in the mapping; roles are: {roles}',
                        role=role,
                        roles=", ".join(ROLES),
                    ),
                    file=file,
                )
            )
        elif column and column not in columns:
            problems.append(
                Problem(
                    Message(
                        'the mapping names column "{column}" for "{role}" but the '
                        "file has no such column; available columns: {columns}",
                        column=column,
                        role=role,
                        columns=_listed(columns),
                    ),
                    file=file,
                    column=column,
                )
            )
    chosen = [c for c in mapping.values() if c]
    for column in sorted({c for c in chosen if chosen.count(c) > 1}):
        problems.append(
            Problem(
                Message('the mapping gives column "{column}" to more than one role', column=column),
                file=file,
                column=column,
            )
        )
    if problems:
        raise InputError(problems, file=file)
    roles = {r: c for r, c in mapping.items() if c}
    taken = set(roles.values())
    notices: list[Notice] = []
    losers: dict[str, list[str]] = {}
    for role in ROLES:
        if role in mapping:
            continue
        ranked = sorted(
            (SYNONYMS[role].index(normalise(c)), i, c)
            for i, c in enumerate(columns)
            if c not in taken and normalise(c) in SYNONYMS[role]
        )
        if ranked:
            roles[role] = ranked[0][2]
            taken.add(ranked[0][2])
            losers[role] = [c for _, _, c in ranked[1:]]
    _alpaca_fixups(roles, mapping, losers, notices)
    for role, others in losers.items():
        if others and role in roles:
            notices.append(
                Notice(
                    tr(
                        'columns {columns} all look like "{role}"; used '
                        '"{chosen}" and kept the others as metadata',
                        columns=_listed([roles[role], *others]),
                        role=role,
                        chosen=roles[role],
                    ),
                    examples=others,
                )
            )
    taken = set(roles.values())
    metric_columns: dict[str, str] = {}
    metadata: list[str] = []
    for column in columns:
        if column in taken:
            continue
        metric = metric_name(column)
        if metric and metric not in metric_columns.values():
            metric_columns[column] = metric
        else:
            metadata.append(column)
    missing = [r for r in REQUIRED if r not in roles]
    return Roles(roles, metric_columns, metadata, missing, notices)


def _alpaca_fixups(
    roles: dict[str, str], mapping: dict, losers: dict[str, list[str]], notices: list[Notice]
) -> None:
    """Alpaca conventions: a lone "input" is the instruction; "output" beside "predict" is gold."""
    if "instruction" not in roles and "instruction" not in mapping and "input" in roles:
        roles["instruction"] = roles.pop("input")
    spare_outputs = [c for c in losers.get("generated", []) if normalise(c) == "output"]
    if "reference" not in roles and "reference" not in mapping and spare_outputs:
        roles["reference"] = spare_outputs[0]
        losers["generated"].remove(spare_outputs[0])
        notices.append(
            Notice(
                tr(
                    'used column "{reference}" as the reference (Alpaca datasets keep the gold '
                    'answer in "output") and "{generated}" as the generated text',
                    reference=spare_outputs[0],
                    generated=roles["generated"],
                )
            )
        )


def missing_problems(
    missing: list[str], columns: list[str], file: str | None, *, sheet: str | None = None
) -> list[Problem]:
    """One problem per missing required role, naming what was found and what would be known."""
    found = _listed(columns)
    return [
        MissingColumn(_missing_message(role, found, sheet), file=file, role=role)
        for role in missing
    ]


def _missing_message(role: str, found: str | Message, sheet: str | None) -> Message:
    names = ", ".join(SYNONYMS[role])
    if sheet:
        return Message(
            'no column for the "{role}" text on sheet "{sheet}". Found columns: {columns}. '
            "Recognised names: {names}. Choose the column that holds it in the column mapping.",
            role=role,
            sheet=sheet,
            columns=found,
            names=names,
        )
    return Message(
        'no column for the "{role}" text. Found columns: {columns}. '
        "Recognised names: {names}. Choose the column that holds it in the column mapping.",
        role=role,
        columns=found,
        names=names,
    )


def _listed(columns: list[str], cap: int = 30) -> str | Message:
    shown = ", ".join(f'"{c}"' for c in columns[:cap])
    if len(columns) <= cap:
        return shown
    return Message("{columns} and {count} more", columns=shown, count=len(columns) - cap)
