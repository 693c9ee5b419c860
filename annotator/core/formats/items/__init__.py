"""Importers: every file a lead has, read and checked, as ``ItemDraft`` objects.

Public API::

    plan = read_items(path, *, model=None, mapping=None, progress=None, skip_duplicates=False)
    pre = preview(path, n=20, *, mapping=None)

``read_items`` returns an :class:`ImportPlan` (format, encoding, roles, columns,
metadata and metric columns, items, notices, duplicates, models in the file, the
file's SHA-256); nothing is written: the caller stores ``plan.items`` in one
transaction. Every problem is raised at once as one ``InputError`` (a
``DuplicateIdError`` when repeated ids are the only problem; it carries
``duplicates`` so a wizard can offer ``skip_duplicates=True``).

Formats, found from content first and the file name second: CSV (comma,
semicolon, tab or bar separated), TSV, XLSX, JSON (array of objects, or wrapped
in {"data": [...]}), JSON lines and LLaMA-Factory ``generated_predictions.jsonl``
(recognised by its ``predict``/``label`` keys; the instruction is the last user
turn of the chat-templated ``prompt``, which is kept in ``metadata["prompt_raw"]``
with the template name in ``metadata["template"]``). Encodings: UTF-8 (with or
without BOM), UTF-16/32 with BOM, GB18030/GBK.

Roles: ``instruction``, ``reference``, ``generated`` (required), ``input``
(appended to the instruction after a newline, as Alpaca does), ``id`` (else the
1-based record number) and ``model`` (per-row, else the ``model`` argument).
Metric columns (bleu, rouge-1/2/l, perplexity, accuracy, f1, meteor, bertscore ...)
become ``ItemDraft.metrics`` on a 0-1 scale; other columns are text metadata.
"""

from annotator.core.formats.items.importer import (
    DuplicateIdError,
    ImportPlan,
    Preview,
    preview,
    read_items,
)
from annotator.core.formats.items.recognise import OwnFileError
from annotator.core.formats.items.roles import METRICS, ROLES, SYNONYMS

__all__ = [
    "METRICS",
    "ROLES",
    "SYNONYMS",
    "DuplicateIdError",
    "ImportPlan",
    "OwnFileError",
    "Preview",
    "preview",
    "read_items",
]
