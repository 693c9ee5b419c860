"""The lead's secret and what is made from it: blind ids, rater orders, hand-out seals.

A file handed to a rater (a package or a rating sheet) can be read by whoever holds
it, so nothing in it may let a reader recover what the lead hides: which model wrote
an item, its sample id, or the order items were imported in. Everything that links a
hand-out to the project is therefore keyed with one random secret kept only in the
lead's project file (``project.handout_secret``), never copied into a hand-out:

- a **blind id** is HMAC(secret, item uid): without the secret it is a random string,
  and a dictionary of (model, sample id) guesses maps nothing to it;
- a **rater order** is a shuffle seeded by HMAC(secret, rater): the rows of a sheet
  or a package say nothing about import order, and the order cannot be undone;
- a **seal** is HMAC(secret, kind, hand-out id, rater, the sorted blind ids): a file
  whose rater was renamed, or whose items were swapped, added or removed, no longer
  matches its seal and is refused on merge.

HMAC-SHA256 (``hmac`` from the standard library): a pseudo-random function, so blind
ids of different items are unrelated and a seal cannot be forged without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
from collections.abc import Iterable

from annotator.core.storage import Database, MetaRepo
from annotator.core.storage.team_repo import TeamRepo

SECRET_KEY = "handout_secret"
# 16 hex digits (64 bits): unguessable, short enough to read in a sheet's id column.
BLIND_ID_HEX = 16
SEAL_VERSION = "1"


def project_secret(db: Database) -> bytes:
    """The project's hand-out secret, created (and committed) on first use."""
    meta = MetaRepo(db.conn)
    value = meta.get(SECRET_KEY)
    if not value:
        with db.transaction():
            value = meta.get(SECRET_KEY)
            if not value:
                value = secrets.token_hex(32)
                meta.set(SECRET_KEY, value)
    return bytes.fromhex(value)


def _mac(secret: bytes, *parts: str) -> bytes:
    message = "\x1f".join(parts).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).digest()


def blind_id(secret: bytes, uid: str) -> str:
    """The id an item has in every hand-out of this project (no information without the key)."""
    return _mac(secret, "blind", uid).hex()[:BLIND_ID_HEX]


def rater_order(secret: bytes, rater: str, item_ids: Iterable[int]) -> list[int]:
    """The rater's own shuffled order of ``item_ids``: stable, different for each rater.

    The seed comes from the secret, so the order cannot be recomputed from anything a
    hand-out holds (the project uuid and the rater's name are in it).
    """
    seed = int.from_bytes(_mac(secret, "order", rater)[:8], "big")
    order = sorted(item_ids)
    random.Random(seed).shuffle(order)
    return order


def seal(secret: bytes, kind: str, handout_id: str, rater: str, blind_ids: Iterable[str]) -> str:
    """The seal of one hand-out: its kind, id, rater and exact item set, keyed."""
    body = json.dumps(sorted(blind_ids), separators=(",", ":"))
    return SEAL_VERSION + ":" + _mac(secret, "seal", kind, handout_id, rater, body).hex()


def seal_matches(
    secret: bytes,
    stamp: str | None,
    kind: str,
    handout_id: str,
    rater: str,
    blind_ids: Iterable[str],
) -> bool:
    """True when ``stamp`` is the seal of exactly this hand-out (constant-time compare)."""
    if not stamp:
        return False
    expected = seal(secret, kind, handout_id, rater, blind_ids)
    return hmac.compare_digest(stamp.encode("utf-8", "replace"), expected.encode("utf-8"))


def blind_index(db: Database) -> dict[str, tuple[int, str]]:
    """blind id -> (item id, content hash) of every item of the project (the lead's file).

    How a hand-out's ids are mapped back: a blind id cannot be reversed, so the project's
    ids are blinded and looked up.
    """
    secret = project_secret(db)
    return {blind_id(secret, uid): value for uid, value in TeamRepo(db.conn).uid_index().items()}
