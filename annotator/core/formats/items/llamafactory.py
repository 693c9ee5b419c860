"""LLaMA-Factory's ``generated_predictions.jsonl``: pull the user's instruction out of the prompt.

LLaMA-Factory writes ``{"prompt", "predict", "label"}`` per line, where ``prompt`` is
the whole chat-templated model input with its special tokens. Raters should see the
instruction, not the template, so we take the LAST user turn of the template found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

KEYS_REQUIRED = frozenset({"predict", "label"})

_S = re.S
# (name, pattern): group 1 is the user's text, group 2 (Alpaca only) the optional input.
# Every end marker also accepts the end of text: LLaMA-Factory may cut long prompts.
TEMPLATES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "chatml",  # Qwen, Yi, ChatML
        re.compile(r"<\|im_start\|>user[ \t]*\n?(.*?)(?:<\|im_end\|>|<\|im_start\|>|\Z)", _S),
    ),
    (
        "llama3",
        re.compile(
            r"<\|start_header_id\|>user<\|end_header_id\|>\n*(.*?)"
            r"(?:<\|eot_id\|>|<\|start_header_id\|>|\Z)",
            _S,
        ),
    ),
    ("gemma", re.compile(r"<start_of_turn>user\n?(.*?)(?:<end_of_turn>|<start_of_turn>|\Z)", _S)),
    (
        "chatglm3",  # ChatGLM3, GLM-4, Phi-3
        re.compile(r"<\|user\|>[ \t]*\n?(.*?)(?:<\|end\|>|<\|assistant\|>|<\|user\|>|\Z)", _S),
    ),
    ("llama2", re.compile(r"\[INST\](.*?)(?:\[/INST\]|\Z)", _S)),
    (
        "alpaca",
        re.compile(
            r"### Instruction:[ \t]*\n(.*?)(?:\n[ \t]*### Input:[ \t]*\n(.*?))?"
            r"(?:\n[ \t]*### Response:|\Z)",
            _S,
        ),
    ),
    (
        "chatglm2",
        re.compile(r"\[Round \d+\][ \t]*\n+[ \t]*问[：:](.*?)(?:\n+[ \t]*答[：:]|\Z)", _S),
    ),
    ("baichuan2", re.compile(r"<reserved_106>(.*?)(?:<reserved_107>|\Z)", _S)),
    (
        "default",  # LLaMA-Factory "default", Vicuna, DeepSeek: "Human: ...\nAssistant:"
        re.compile(
            r"(?:^|\s)(?:Human|USER|User):[ \t]?(.*?)(?:\s*(?:Assistant|ASSISTANT):|\Z)", _S
        ),
    ),
)

_SYS_BLOCK = re.compile(r"<<SYS>>.*?<</SYS>>", _S)
_SPECIAL = re.compile(
    r"<\|[A-Za-z0-9_.:-]{1,40}\|>"  # <|endoftext|>, <|begin_of_text|>, <|eot_id|> ...
    r"|</?s>|<unk>|<pad>|<bos>|<eos>|<start_of_turn>|<end_of_turn>"
    r"|\[gMASK\]\s*(?:<sop>|sop)?|<sop>|<eop>|<reserved_\d+>"
)


def is_llamafactory(keys: Iterable[str]) -> bool:
    """True for the key set of a LLaMA-Factory predictions file (``predict`` and ``label``)."""
    return set(keys) >= KEYS_REQUIRED


def strip_special(text: str) -> str:
    """Drop special tokens (``<s>``, ``<|endoftext|>``, ``[gMASK]sop`` ...) and outer spaces."""
    return _SPECIAL.sub("", text).strip()


def extract_instruction(prompt: str, hint: str | None = None) -> tuple[str, str]:
    """The last user turn of a chat-templated prompt, without special tokens.

    Args:
        prompt: the prompt as LLaMA-Factory decoded it, special tokens included.
        hint: the template that matched the previous prompt; tried first.

    Returns:
        ``(instruction, template)``; template is "plain" when no known template
        matches (then the whole prompt, cleaned, is the instruction).
    """
    order = TEMPLATES
    if hint not in (None, "default", "plain"):  # the loose ones must stay last
        order = tuple(t for t in TEMPLATES if t[0] == hint) + tuple(
            t for t in TEMPLATES if t[0] != hint
        )
    for name, pattern in order:
        last = None
        for last in pattern.finditer(prompt):  # noqa: B007 - we want the last match
            pass
        if last is None:
            continue
        text = last.group(1)
        if name == "llama2":
            text = _SYS_BLOCK.sub("", text)
        text = strip_special(text)
        if name == "alpaca" and last.group(2) and (extra := strip_special(last.group(2))):
            text = f"{text}\n{extra}"  # Alpaca joins instruction and input this way
        return text, name
    return strip_special(prompt), "plain"
