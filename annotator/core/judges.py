"""The LLM-judges part of the facade (issue 17): ``Project.judges``.

Composed by ``Project`` (not a mixin), as ``side_by_side`` is: each method is one thing a
lead does with judges and delegates to ``usecases.judges``. A judge is a kind of rater kept
in its own tables: it never counts in the human means, agreement or verdicts, and never
reaches a rater, unless the lead promotes it (``use``) after it passed the alternative
annotator test. The CLI and the GUI reach it only through ``Project.judges``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.storage import Database
from annotator.core.storage.errors import converting

if TYPE_CHECKING:
    from annotator.core.results import JudgesReport
    from annotator.core.usecases.judges.import_scores import JudgesImportReport
    from annotator.core.usecases.judges.promote import PromoteReport
    from annotator.core.usecases.judges.run import JudgeRunReport
    from annotator.core.usecases.side_by_side.preferences_import import (
        PreferencesImportReport,
    )


@converting(lambda facade: facade.db.path)
class Judges:
    """LLM judges: import, list, configure the test, promote, and their numbers."""

    def __init__(self, db: Database):
        self.db = db

    def import_scores(self, path: str | Path, judge: str | None = None) -> JudgesImportReport:
        """Import a judge's scores in the long form of ``ratings import`` (a ``judge`` or
        ``rater`` column, or ``judge`` when the file has none; an optional ``reason``);
        all or nothing, and the same file again changes nothing."""
        from annotator.core.usecases.judges.import_scores import import_scores

        return import_scores(self.db, Path(path), judge=judge)

    def import_preferences(
        self, path: str | Path, judge: str | None = None
    ) -> PreferencesImportReport:
        """Import a judge's side-by-side verdicts in Chatbot Arena's battle format: one row
        per order the judge saw (``model_a`` the answer shown left); all or nothing."""
        from annotator.core.usecases.side_by_side.judge_preferences import (
            import_judge_preferences,
        )

        return import_judge_preferences(self.db, Path(path), judge=judge)

    def list(self) -> list[dict]:
        """Every judge: name, signature, scores, judgments, failures, promoted."""
        from annotator.core.usecases.judges.promote import list_judges

        return list_judges(self.db)

    def use(self, name: str, on: bool = True, *, force: bool = False) -> PromoteReport:
        """Promote a judge to count as a rater (``on``), or stop it counting. A judge that
        has not passed the alternative annotator test on the current data is refused,
        naming the dimensions it failed, unless ``force`` (the report then says so)."""
        from annotator.core.usecases.judges.promote import promote

        return promote(self.db, name, on=on, force=force)

    def settings(self) -> dict:
        """``epsilon`` (the test's cost-benefit margin) and its ``level`` in words."""
        from annotator.core.usecases.judges.settings import judge_settings

        return judge_settings(self.db)

    def configure(
        self, *, epsilon: float | str | None = None, gates_from: str | None = None
    ) -> dict:
        """Set epsilon (0.2 / 0.15 / 0.1, or by word expert / skilled / crowd) and the
        source of the model gates on human means: ``gates_from`` a judge's name (its
        prediction-powered means) or "humans" (the human-only means, the default)."""
        from annotator.core.usecases.judges.settings import configure

        return configure(self.db, epsilon=epsilon, gates_from=gates_from)

    def evaluate(self, *, resamples: int = 1000) -> JudgesReport:
        """Every judge's numbers against the humans as the project is now."""
        from annotator.core.usecases.judges.report import judges_report

        return judges_report(self.db, resamples=resamples)

    def run(
        self,
        *,
        endpoint: str,
        model: str,
        judge: str | None = None,
        dimensions: Sequence[str] | None = None,
        concurrency: int = 4,
        prompt: str | Path | None = None,
        pair_prompt: str | Path | None = None,
        comparisons: bool = False,
        items: bool | None = None,
        limit: int | None = None,
        temperature: float = 0.0,
        max_tokens: int = 1024,
        seed: int | None = None,
        json_mode: bool = True,
        timeout: float = 120.0,
        reply_retries: int = 3,
        api_key_env: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        backoff: float = 1.0,
    ) -> JudgeRunReport:
        """Run an LLM judge through an OpenAI-compatible chat-completions ``endpoint``
        (``judge`` defaults to the model's name) over the items (``dimensions``: all by
        default), or the side-by-side comparisons in both orders (``comparisons``; with
        ``items=True`` as well). Each answer is stored as it arrives: a run stopped at any
        point resumes where it was, nothing stored is asked for again. The key is read
        from the environment variable ``api_key_env`` (OPENAI_API_KEY when set and none
        is named) and never stored. Raises ``JudgeRunError`` (``.report``) when the
        endpoint fails. ``backoff``: the first retry's wait in seconds (doubled each time)."""
        from annotator.core.usecases.judges.run import run_judge

        return run_judge(
            self.db, endpoint=endpoint, model=model, judge=judge, dimensions=dimensions,
            items=items, comparisons=comparisons, limit=limit, concurrency=concurrency,
            prompt=prompt, pair_prompt=pair_prompt, temperature=temperature,
            max_tokens=max_tokens, seed=seed, json_mode=json_mode, timeout=timeout,
            reply_retries=reply_retries, api_key_env=api_key_env, progress=progress,
            cancel=cancel, backoff=backoff,
        )  # fmt: skip

    def pairs(self, name: str, dimension: str):
        """Per item: the judge ``name``'s score and the human mean on ``dimension`` (a
        rubric key, or ``"all"``): a DataFrame of item_id, model, dimension, judge,
        human_mean and humans, on the units the judge's correlations use."""
        from annotator.core.usecases.judges.scatter import pairs

        return pairs(self.db, name, dimension)

    def models(
        self, endpoint: str, *, api_key_env: str | None = None, timeout: float = 10.0
    ) -> list[str]:
        """The model names an OpenAI-compatible ``endpoint`` serves (``GET {base}/models``),
        to check the connection before a run; the key as ``run`` reads it (never stored).

        Raises:
            AnnotatorError: not an address, nothing listening, a key wanted or refused, a
                redirect, or an answer that is not an OpenAI-compatible list of models.
        """
        return _served_models(endpoint, api_key_env, timeout)


def _served_models(endpoint: str, api_key_env: str | None, timeout: float) -> list[str]:
    """``Judges.models``: one GET, no retry, no redirect followed (a key goes nowhere else)."""
    import http.client
    import urllib.error
    import urllib.request

    from annotator.core.domain.errors import AnnotatorError
    from annotator.core.domain.message import Message
    from annotator.core.usecases.judges import http_errors as words
    from annotator.core.usecases.judges.http import parse_endpoint
    from annotator.core.usecases.judges.run import _api_key

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args):
            return None  # the 3xx is then an HTTPError: said in words below

    where = parse_endpoint(endpoint)
    _, key = _api_key(api_key_env)
    headers = {"Accept": "application/json"} | ({"Authorization": f"Bearer {key}"} if key else {})
    request = urllib.request.Request(f"{where.base}/models", headers=headers)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=timeout) as reply:
            raw, kind = reply.read(4 * 1024 * 1024), reply.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        problem = words.status_problem(exc.code, exc.read(64 * 1024), exc.headers, where.shown,
                                       has_key=bool(key), models=lambda: None)  # fmt: skip
        raise AnnotatorError(problem.message) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise AnnotatorError(words.connection_problem(exc, where.shown, timeout).message) from None
    data = words.parse_json(raw)
    rows = data.get("data") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise AnnotatorError(
            Message(
                "{endpoint} answered with something that is not a list of models ({kind}: "
                '"{start}"); is it an OpenAI-compatible API (its address usually ends in /v1)?',
                endpoint=where.shown,
                kind=kind.split(";")[0] or "?",
                start=words.snippet(raw),
            )
        )
    return [str(r["id"]) for r in rows if isinstance(r, dict) and "id" in r]
