"""The prompt a judge is asked with: the project's rubric, in the project's language.

One item: a system message and a user message holding the rubric (each dimension asked
with its description and its five anchors), the instruction, the reference and the answer,
and what to reply: one JSON object, ``{"<dimension key>": {"score": 1-5, "reason": "one
line"}, ...}``. One side-by-side comparison: the same with answer A and answer B, and
``{"winner": "A" | "B" | "tie" | "both_bad", "reason": ...}`` overall (and per dimension
when the project judges comparisons per dimension: keyed ``overall`` and by dimension).

The words sent to the model are fixed here, not taken from the catalog: the prompt's hash
is part of the judge's signature and must not change when a translation does.

A lead's own template (``--prompt FILE`` for items, ``--pair-prompt FILE`` for
comparisons) is the user message, with these placeholders, each written ``{name}``:
``{instruction}`` ``{reference}`` ``{answer}`` (items) or ``{answer_a}`` ``{answer_b}``
(comparisons), ``{rubric}`` (the dimensions asked, with anchors), ``{dimensions}`` (their
keys) and ``{format}`` (the JSON to reply with; added at the end when the template has
none). Any other ``{word}`` is refused, naming it; other braces (a JSON example) are kept
as written.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.models import Rubric
from annotator.core.domain.side_by_side import OVERALL
from annotator.core.formats.paths import shown

ITEM_FIELDS = ("instruction", "reference", "answer", "rubric", "dimensions", "format")
PAIR_FIELDS = ("instruction", "reference", "answer_a", "answer_b", "rubric", "dimensions",
               "format")  # fmt: skip
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

_EN = {
    "system": "You are a careful, impartial judge of answers written by language models. "
    "You judge with the rubric you are given and reply with one JSON object and nothing else.",
    "item": "Score the answer below on each rubric dimension, from 1 (worst) to 5 (best), "
    "using the anchors of each level.\n\n## Rubric\n{rubric}\n\n## Instruction\n"
    "{instruction}\n\n## Reference answer\n{reference}\n\n## Answer to score\n{answer}\n\n"
    "{format}",
    "pair": "Compare the two answers below to the same instruction, using the rubric. The "
    "order in which they are shown says nothing about their quality.\n\n## Rubric\n{rubric}"
    "\n\n## Instruction\n{instruction}\n\n## Reference answer\n{reference}\n\n## Answer A\n"
    "{answer_a}\n\n## Answer B\n{answer_b}\n\n{format}",
    "scores": "Reply with one JSON object only, with one entry for each of these dimensions: "
    '{keys}. Each entry is {{"score": <an integer from 1 to 5>, "reason": "<one line>"}}, '
    "for example {{{example}}}.",
    "verdict": 'Reply with one JSON object only: {{"winner": "<A, B, tie or both_bad>", '
    '"reason": "<one line>"}}. "tie": about equally good; "both_bad": neither is acceptable.',
    "verdicts": 'Reply with one JSON object only, with an entry "overall" and one for each of '
    'these dimensions: {keys}. Each entry is {{"winner": "<A, B, tie or both_bad>", "reason": '
    '"<one line>"}}; "tie": about equally good, "both_bad": neither is acceptable.',
    "level": "  {score} = {anchor}",
    "none": "(none)",
    "repair": "Your reply could not be used: {error}. Reply again with the JSON object only, "
    "as asked.",
}
_ZH = {
    "system": "你是一名认真、公正的评审，负责评价语言模型写出的回答。你按照给定的评分标准评判，"
    "只回复一个 JSON 对象，不写其他任何内容。",
    "item": "请按评分标准的每个维度给下面的回答打分，1 分最差，5 分最好，参照每一档的描述。\n\n"
    "## 评分标准\n{rubric}\n\n## 指令\n{instruction}\n\n## 参考答案\n{reference}\n\n"
    "## 待评回答\n{answer}\n\n{format}",
    "pair": "请按评分标准比较下面针对同一指令的两个回答。两者的先后顺序与质量无关。\n\n"
    "## 评分标准\n{rubric}\n\n## 指令\n{instruction}\n\n## 参考答案\n{reference}\n\n"
    "## 回答 A\n{answer_a}\n\n## 回答 B\n{answer_b}\n\n{format}",
    "scores": "只回复一个 JSON 对象，以下每个维度各一项：{keys}。每一项为 "
    '{{"score": <1 到 5 的整数>, "reason": "<一句话理由>"}}，例如 {{{example}}}。',
    "verdict": '只回复一个 JSON 对象：{{"winner": "<A、B、tie 或 both_bad>", '
    '"reason": "<一句话理由>"}}。"tie" 表示两者差不多，"both_bad" 表示两者都不可接受。',
    "verdicts": '只回复一个 JSON 对象，包含一项 "overall" 以及以下每个维度各一项：{keys}。每一项为 '
    '{{"winner": "<A、B、tie 或 both_bad>", "reason": "<一句话理由>"}}；"tie" 表示两者差不多，'
    '"both_bad" 表示两者都不可接受。',
    "level": "  {score} 分 = {anchor}",
    "none": "（无）",
    "repair": "你的回复无法使用：{error}。请按要求重新回复，只写 JSON 对象。",
}


def _words(language: str) -> dict[str, str]:
    return _ZH if language.startswith("zh") else _EN


@dataclass(frozen=True)
class Prompts:
    """What a judge is asked, for one project: build the messages of one unit."""

    language: str
    rubric: Rubric
    system: str
    item_template: str
    pair_template: str
    sha256: str

    def item_messages(
        self, instruction: str, reference: str, answer: str, keys: Sequence[str]
    ) -> list[dict]:
        values = {"instruction": instruction, "reference": reference, "answer": answer}
        return self._messages(self.item_template, values, keys, self.score_format(keys))

    def pair_messages(
        self, instruction: str, reference: str, answer_a: str, answer_b: str,
        keys: Sequence[str],
    ) -> list[dict]:  # fmt: skip
        """``keys``: OVERALL ("") and the dimensions judged too."""
        values = {"instruction": instruction, "reference": reference,
                  "answer_a": answer_a, "answer_b": answer_b}  # fmt: skip
        dims = [k for k in keys if k != OVERALL]
        return self._messages(self.pair_template, values, dims, self.verdict_format(dims))

    def repair(self, error: str) -> str:
        """The user turn after a reply that could not be used."""
        return _words(self.language)["repair"].format(error=error)

    def score_format(self, keys: Sequence[str]) -> str:
        example = ", ".join(f'"{k}": {{"score": <1-5>, "reason": "..."}}' for k in keys[:2])
        return _words(self.language)["scores"].format(keys=", ".join(keys), example=example)

    def verdict_format(self, dims: Sequence[str]) -> str:
        words = _words(self.language)
        return words["verdicts"].format(keys=", ".join(dims)) if dims else words["verdict"]

    def rubric_text(self, keys: Sequence[str] | None = None) -> str:
        return rubric_text(self.rubric, self.language, keys)

    def _messages(self, template: str, values: dict, keys: Sequence[str], form: str) -> list:
        none = _words(self.language)["none"]
        values = {k: (v if v.strip() else none) for k, v in values.items()}
        values |= {
            "rubric": self.rubric_text(keys or None),
            "dimensions": ", ".join(keys),
            "format": form,
        }
        user = _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), template)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


def rubric_text(rubric: Rubric, language: str, keys: Sequence[str] | None = None) -> str:
    """The dimensions (all, or ``keys``) with their descriptions and anchors."""
    words = _words(language)
    blocks = []
    for d in rubric.dimensions:
        if keys is not None and d.key not in keys:
            continue
        head = f"### {d.key} ({d.name(language)})"
        lines = [head, d.description(language)] if d.description(language) else [head]
        lines += [words["level"].format(score=s, anchor=d.anchor(s, language)) for s in
                  range(1, 6) if d.anchor(s, language)]  # fmt: skip
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def build_prompts(
    rubric: Rubric,
    language: str,
    *,
    item_file: str | Path | None = None,
    pair_file: str | Path | None = None,
) -> Prompts:
    """The prompts of a run: the defaults, or the lead's templates (checked).

    Raises:
        InputError: a template file that cannot be read, is empty, holds an unknown
            placeholder or lacks the answer(s).
    """
    words = _words(language)
    item = _template(item_file, ITEM_FIELDS, ("answer",)) if item_file else words["item"]
    pair = (
        _template(pair_file, PAIR_FIELDS, ("answer_a", "answer_b")) if pair_file
        else words["pair"]
    )  # fmt: skip
    # the hash says what the judge was asked: any change of words, template or rubric shows
    text = json.dumps(
        {"language": language, "system": words["system"], "item": item, "pair": pair,
         "formats": [words["scores"], words["verdict"], words["verdicts"], words["repair"]],
         "rubric": rubric_text(rubric, language)},
        ensure_ascii=False, sort_keys=True,
    )  # fmt: skip
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Prompts(language, rubric, words["system"], item, pair, sha)


def _template(path: str | Path, fields: Sequence[str], required: Sequence[str]) -> str:
    file = shown(path)
    text = _read(Path(path), file)
    problems = []
    for n, line in enumerate(text.splitlines(), start=1):
        for match in _FIELD.finditer(line):
            if match.group(1) not in fields:
                problems.append(
                    Problem(
                        Message(
                            "unknown placeholder {{{name}}}; a template may use {known}",
                            name=match.group(1),
                            known=" ".join(f"{{{f}}}" for f in fields),
                        ),
                        file=file,
                        line=n,
                    )
                )
    found = set(_FIELD.findall(text))
    for name in required:
        if name not in found:
            problems.append(
                Problem(
                    Message(
                        "the template has no {{{name}}}: the judge would never see the answer",
                        name=name,
                    ),
                    file=file,
                )
            )
    if problems:
        raise InputError(problems, file=file)
    if "format" not in found:  # what to reply with: the parser needs that form
        text = text.rstrip() + "\n\n{format}"
    return text


def _read(path: Path, file: str) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(Problem(Message("file not found"), file=file)) from None
    except UnicodeDecodeError:
        raise InputError(
            Problem(Message("the template is not UTF-8 text; save it as UTF-8"), file=file)
        ) from None
    except OSError as exc:
        raise InputError(
            Problem(Message("cannot read the file: {reason}", reason=exc.strerror or exc),
                    file=file)
        ) from None  # fmt: skip
    if not text.strip():
        raise InputError(Problem(Message("the template is empty"), file=file))
    return text
