"""Which answer a rater sees on the left: random per (rater, sample), and balanced.

For each rater and each pair of models, the rater's comparisons of that pair are put in
the rater's own keyed order and alternate sides along it, from a keyed coin: each model
is on the left in half of them (one more when the number is odd), and nothing a
hand-out holds can recompute which (the key is the project's hand-out secret).
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.usecases.team.seal import rater_order  # (team: assign uses it too)


def balanced_left(
    secret: bytes | None, rater: str, comparisons: Iterable[tuple[int, int, int, tuple]]
) -> dict[int, int]:
    """comparison id -> the item shown on the left, for one rater.

    Args:
        secret: the project's hand-out secret; None in a rater package, whose comparisons
            are already stored with the left answer as ``a``.
        rater: the rater's name (their order and coin depend on it).
        comparisons: (comparison id, item a, item b, pair key) — the pair key groups the
            comparisons of the same two models.
    """
    rows = list(comparisons)
    if secret is None:
        return {cid: a for cid, a, _, _ in rows}
    by_pair: dict[tuple, list[tuple[int, int, int]]] = {}
    for cid, a, b, key in rows:
        by_pair.setdefault(tuple(key), []).append((cid, a, b))
    left: dict[int, int] = {}
    for key, group in sorted(by_pair.items()):
        sides = {cid: (a, b) for cid, a, b in group}
        order = rater_order(secret, f"{rater}\x1fsides\x1f{key}", list(sides))
        coin = rater_order(secret, f"{rater}\x1fcoin\x1f{key}", [0, 1])[0]
        for n, cid in enumerate(order):
            a, b = sides[cid]
            left[cid] = a if (n + coin) % 2 == 0 else b
    return left
