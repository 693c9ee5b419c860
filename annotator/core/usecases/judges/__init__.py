"""Use cases of LLM judges (issue 17): import their scores and verdicts, run one against an
endpoint, promote one that passed the alternative annotator test, and the numbers that say
whether a judge can replace a rater. A judge lives in its own tables (``storage.judges``)
and counts with the humans only when promoted."""
