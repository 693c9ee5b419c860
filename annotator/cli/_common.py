"""What every command shares: the language, the parser and its help in that language, the
--json switch, output, and errors as messages."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

from annotator.cli._safety import debugging, escape_controls, failure_message
from annotator.core.domain.errors import (
    AnnotatorError,
    ChangedTexts,
    InputError,
    MissingColumn,
    ModelNotNamed,
    NotADemoError,
    TargetExistsError,
)
from annotator.core.domain.message import as_text
from annotator.core.i18n import normalize, set_language, system_language, tr

LANGUAGE_VARIABLE = "ANNOTATOR_LANG"


def command_language(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> str:
    """The language a command speaks in.

    ANNOTATOR_LANG if set; else the language of the project the command works on (or is
    creating); else the system's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); else English.
    """
    env = os.environ if environ is None else environ
    if env.get(LANGUAGE_VARIABLE):
        return normalize(env[LANGUAGE_VARIABLE])
    if getattr(args, "language", None):
        return normalize(args.language)
    if getattr(args, "project", None):
        from annotator.core.project import Project

        # a guess at the language: opening the file later says what is wrong with it
        found = Project.peek_language(args.project)
        if found:
            return normalize(found)
    return system_language(env)


def help_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of --help and of argparse's errors.

    The parser is built before any project is known: ANNOTATOR_LANG if set, else the system's.
    """
    return command_language(argparse.Namespace(), environ)


def follow_project(language: str | None) -> None:
    """Speak the language of a project opened later (a demo, a package) unless overridden."""
    if language and not os.environ.get(LANGUAGE_VARIABLE):
        set_language(language)


# Arguments that are file names: bytes that are not UTF-8 are fine there (the OS hands them
# over as surrogates, and they go back to the OS as the same bytes); anywhere else they end
# up in the project file, which stores only valid text.
PATH_ARGUMENTS = frozenset({"project", "file", "package", "sheet", "output", "path", "rubric"})


def argument_labels(parser: argparse.ArgumentParser) -> dict[str, str]:
    """dest -> how the user typed it (--rater), for every command's arguments."""
    labels: dict[str, str] = {}
    pending = [parser]
    while pending:
        current = pending.pop()
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending.extend(action.choices.values())
            elif action.option_strings:
                labels[action.dest] = max(action.option_strings, key=len)
            else:
                labels.setdefault(action.dest, action.dest)
    return labels


def check_arguments(args: argparse.Namespace, labels: Mapping[str, str]) -> None:
    """Refuse a value no file name or stored text can hold, naming its argument.

    Raises:
        AnnotatorError: a NUL character anywhere, or undecodable bytes in a text that is
            not a file name.
    """
    for name, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            label = labels.get(name, name)
            if "\0" in text:
                raise AnnotatorError(
                    tr(
                        "{argument}: the value holds a NUL character, which no file name or "
                        "text may contain.",
                        argument=label,
                    )
                )
            if name not in PATH_ARGUMENTS and _undecodable(text):
                shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                raise AnnotatorError(
                    tr(
                        '{argument}: "{value}" is not valid text (it holds bytes that are not '
                        "UTF-8); type it again in a UTF-8 terminal.",
                        argument=label,
                        value=escape_controls(shown),
                    )
                )


def _undecodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def finite_number(text: str) -> float:
    """argparse type: a real number (not nan, not inf), e.g. 5 or 0.1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr('"{value}" is not a number', value=text)) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(tr('"{value}" is not a finite number', value=text))
    return value


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help=tr("print machine-readable JSON only (for scripts)")
    )


def emit(args: argparse.Namespace, data: Any, text: str | Callable[[], str]) -> None:
    """Print ``data`` as JSON with --json, else the human-readable ``text``."""
    if getattr(args, "json", False):
        write_out(sys.stdout, to_json(data))
    else:
        write_out(sys.stdout, text() if callable(text) else text)


def to_json(data: Any) -> str:
    """``data`` as JSON with null for NaN. Data already plain (as the reports' ``to_dict``
    make it) is written as it is; anything else (a NaN, a numpy number) is made plain first
    (``jsonsafe.clean``): walking 100,000 rows twice costs half a second."""
    try:
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    except (TypeError, ValueError):
        from annotator.core.stats.jsonsafe import clean  # JSON has no NaN: null instead

        return json.dumps(clean(data), ensure_ascii=False, indent=2)


def write_out(stream: Any, text: str) -> None:
    """Write ``text`` and a newline; what the stream's encoding cannot show is escaped.

    A file name that is not valid UTF-8 reaches us as surrogates; a terminal in a narrow
    encoding cannot show Chinese. Either must not turn a finished command into a traceback
    (and an escaped surrogate, ``\\udcff``, is still valid JSON).
    """
    text += "\n"
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))


def run_command(args: argparse.Namespace, func: Callable[[argparse.Namespace], int | None]) -> int:
    """Run a command; every error becomes a message on stderr (JSON with --json), exit code 1.

    An AnnotatorError is shown as it is. Anything else is the last safety net's (see
    _safety): words for a full disk, a read-only file, a folder, and a crash report in the
    user's log folder for the rest. ANNOTATOR_DEBUG=1 shows the traceback instead.
    """
    try:
        set_language(command_language(args))
        return func(args) or 0
    except AnnotatorError as exc:
        show_error(args, exc)
        return 1
    except KeyboardInterrupt:
        print(tr("interrupted; nothing half-written was kept"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (| head): nothing to say, no one to say it to
        _silence_stdout()
        return 1
    except Exception as exc:  # noqa: BLE001 - the last safety net: never a traceback
        return report_failure(args, exc)


def report_failure(args: argparse.Namespace, exc: Exception) -> int:
    """Show an exception no one turned into a message, and write its crash report.

    Re-raises it with ANNOTATOR_DEBUG=1.
    """
    if debugging():
        raise exc
    message, report = failure_message(exc, args)
    show_error(args, AnnotatorError(message), log=report)
    return 1


def show_error(args: argparse.Namespace, exc: AnnotatorError, log: Any = None) -> None:
    """An error for a person (stderr) or, with --json, for a script (stdout)."""
    if getattr(args, "json", False):
        payload: dict[str, Any] = {"error": str(exc), "type": type(exc).__name__}
        if isinstance(exc, InputError):
            payload["problems"] = [  # a problem's message is text in the command's language
                {
                    k: as_text(v) if k == "message" else v
                    for k, v in vars(p).items()
                    if v is not None
                }
                for p in exc.problems
            ]
        if isinstance(exc, TargetExistsError):
            payload["path"] = str(exc.path)
        if log is not None:
            payload["log"] = str(log)
        write_out(sys.stdout, json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        text = escape_controls(tr("error: {message}", message=_with_hint(exc)))
        write_out(sys.stderr, text)


def _with_hint(exc: AnnotatorError) -> str:
    """The error's words and, where this command line has a way out, its flag."""
    if isinstance(exc, TargetExistsError):
        return tr("{message} (or use --force to replace it)", message=exc)
    if isinstance(exc, NotADemoError):
        return tr("{message} (give --path a new file name)", message=exc)
    text = str(exc)
    if isinstance(exc, InputError):  # a required column not found: --map chooses one
        roles = dict.fromkeys(p.role for p in exc.problems if isinstance(p, MissingColumn))
        for role in roles:
            text += "\n" + tr("(command line: --map {role}=COLUMN)", role=role)
        if any(isinstance(p, ModelNotNamed) for p in exc.problems):
            text += "\n" + tr("(command line: --model NAME, for example --model lora-v2)")
        if any(isinstance(p, ChangedTexts) for p in exc.problems):
            text += "\n" + tr("(command line: --update replaces them)")
    return text


def _silence_stdout() -> None:
    # Python flushes stdout at exit and would report the broken pipe again: point it nowhere
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def progress_printer(args: argparse.Namespace, label: str) -> Callable[[int, int], None] | None:
    """A progress callback printing to stderr on a terminal; silent for --json or pipes."""
    if getattr(args, "json", False) or not sys.stderr.isatty():
        return None
    last = [-1]

    def report(done: int, total: int) -> None:
        pct = int(100 * done / total) if total else 100
        if pct != last[0]:
            last[0] = pct
            sys.stderr.write(f"\r{label}: {pct:3d}% ({done:,}/{total:,})")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return report


# Wide characters (Chinese, full-width punctuation, curly quotes) for wrapping by columns; a
# closing mark stays with the text before it, an opening one with the text after it.
