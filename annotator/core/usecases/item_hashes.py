"""The identities an import gives its items: the hash of an item's texts and its opaque
public id (both blake2b), each computed once per import."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from annotator.core.domain.models import ItemDraft

_blake2b = hashlib.blake2b  # 2.5x faster than sha256 here; 100,000 items are hashed per import


def content_hash(instruction: str, reference: str, generated: str) -> str:
    """The identity of an item's texts: a package or sheet is checked against it."""
    return _blake2b(f"{instruction}\x00{reference}\x00{generated}".encode()).hexdigest()


def item_uid(project_uuid: str, model: str, sample_id: str) -> str:
    """A stable, opaque public id: says nothing about the model, so raters stay blind."""
    return _blake2b(f"{project_uuid}\x00{model}\x00{sample_id}".encode(), digest_size=6).hexdigest()


def content_hashes(drafts: list[ItemDraft]) -> list[str]:
    """``content_hash`` of every draft."""
    return [content_hash(d.instruction, d.reference, d.generated) for d in drafts]


class Uids:
    """``item_uid`` of one import's drafts, each computed once however often it is asked
    (an import decides twice: a first look, then again under the write lock)."""

    def __init__(self) -> None:
        self._makers: dict[tuple[str, str], Callable[[str], str]] = {}

    def maker(self, project_uuid: str, model: str) -> Callable[[str], str]:
        """sample id -> ``item_uid(project_uuid, model, sample_id)``."""
        key = (project_uuid, model)
        if key not in self._makers:
            known: dict[str, str] = {}

            def uid(sample_id: str) -> str:
                found = known.get(sample_id)
                if found is None:
                    found = known[sample_id] = item_uid(project_uuid, model, sample_id)
                return found

            self._makers[key] = uid
        return self._makers[key]
