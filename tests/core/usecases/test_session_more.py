"""Session additions for the rater workspace: item-list filters and text search."""

from __future__ import annotations

import pytest

from annotator.core.storage import ItemsRepo


def test_filters_follow_scores_flags_and_comments(project):
    s = project.session("alice")
    dims = s.rubric.keys
    for dim in dims:
        s.set_score(s.order[0], dim, 3)
    s.set_score(s.order[1], dims[0], 2)  # partly scored: still "unscored"
    s.set_flag(s.order[2], "broken output")
    s.set_comment(s.order[3], "typo in the reference")
    s.set_flag(s.order[4], "x")
    s.set_flag(s.order[4], "")  # cleared flag no longer counts
    assert s.indexes("all") == list(range(24))
    assert s.indexes("unscored") == list(range(1, 24))
    assert s.indexes("flagged") == [2]
    assert s.indexes("commented") == [3]
    with pytest.raises(ValueError, match="unknown filter"):
        s.indexes("done-ish")


def test_another_raters_work_does_not_change_my_filters(project):
    alice = project.session("alice")
    bob = project.session("bob")
    for dim in bob.rubric.keys:
        bob.set_score(alice.order[0], dim, 5)
    bob.set_flag(alice.order[1], "unclear instruction")
    assert alice.indexes("unscored") == list(range(24))
    assert alice.indexes("flagged") == []


def test_search_finds_instruction_or_generated_text_in_order_and_wraps(project):
    s = project.session("alice")
    texts = ItemsRepo(project.db.conn).frame(texts=True).set_index("item_id")
    # Oracle: which positions hold an item whose instruction or output mentions "产品 7 "
    expected = [n for n, i in enumerate(s.order) if "产品 7 " in texts.loc[i, "instruction"]]
    assert len(expected) == 2  # item 7 of each model
    first = s.search("产品 7 ", start=-1)
    assert first == expected[0]
    assert s.search("产品 7 ", start=first) == expected[1]
    assert s.search("产品 7 ", start=expected[1]) == expected[0]  # wraps
    assert s.search("产品 7 ", start=expected[0], backwards=True) == expected[1]
    # generated text (case is ignored: see test_search_treats_wildcards_as_text)
    lora = [n for n, i in enumerate(s.order) if "不挑皮!" in texts.loc[i, "generated"]]
    assert len(lora) == 12 and s.search("不挑皮!", start=-1) == lora[0]
    assert s.search("参考答案", start=0) is None  # reference text is not searched
    assert s.search("   ", start=0) is None
