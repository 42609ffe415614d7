"""One way to run a command line: parse, run, and end every expected failure in one line.

Every command of the toolkit is a ``main`` built on :func:`run_command`::

    def main(argv: Sequence[str] | None = None) -> int:
        return run_command(build_parser(), _run, argv)

    def _run(args: argparse.Namespace) -> int:
        ...  # the work: call the API, print the tables
        return 0

``_run`` raises what the API raises and catches nothing; :func:`run_command` turns each expected
failure into one line on stderr and an exit status:

- a bad flag, as argparse finds it or as ``parser.error`` is told:
  ``prog: error: argument --beta: invalid float value: 'x' (see prog --help)``, status 2;
- a :class:`~params.validation.ParameterError` of one of the command's flags:
  ``prog: error: argument --flag: must be ... (see prog --help)``, status 2;
- any other :class:`ValueError`: ``prog: error: <its message> (see prog --help)``, status 2;
- an :class:`OSError` (a full disk, an unreadable file): ``prog: error: [Errno 28] No space left
  on device: 'a.png'``, status 2;
- a :class:`BrokenPipeError` (the output was piped into ``head``, which has read enough):
  nothing, status :data:`BROKEN_PIPE_STATUS`;
- Ctrl-C (:class:`KeyboardInterrupt`): ``interrupted``, status 130; SIGTERM (``kill``):
  ``terminated``, status 143.

Bad input (a bad flag, a :class:`ValueError`) is one line that names the flag or the value and
what is allowed, and points to ``--help`` for the rest, in place of argparse's usage block: the
parser's ``error`` method, and each sub-command's, is replaced to say so, and ``prog`` is the
sub-command's (``python -m theory what-if``) where one was chosen. Every message is collapsed to
one line. Errors (status 2) leave through ``parser.exit`` (:class:`SystemExit`, as argparse's
own errors do); a stop, a closed pipe and a success return the status. Anything else is a bug
and keeps its traceback.

Two hooks fit the lines to the command:

- ``kept(args)``: what the command leaves behind and what to run next, appended to the line of
  an :class:`OSError` and of a stop: ``interrupted; 3 finished chunks are kept in results/runs/x;
  rerun with --resume to continue``;
- ``progress(args)``: whether a progress bar may be drawn on stderr, whose line a stop ends
  first.

A command that writes a run folder and draws a progress bar unless ``--quiet``::

    return run_command(
        build_parser(), _run, argv, kept=_kept, progress=lambda args: not args.quiet
    )

Where the run knows more than the error does (which figure, which folder), it says so with
:func:`error_prefix`: ``with error_prefix(f"Cannot write {str(target)!r}"): save(...)`` reads
``prog: error: Cannot write 'a.png': [Errno 28] No space left on device: 'a.png'``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import signal
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from types import FrameType
from typing import NoReturn

from params.validation import ParameterError, flag_name

__all__ = ["BROKEN_PIPE_STATUS", "Terminated", "error_prefix", "run_command"]

#: Exit status after the reader of the output went away: 128 + SIGPIPE, as a shell reports a
#: program that a closed pipe ended (``yes | head``).
BROKEN_PIPE_STATUS = 128 + 13

Hook = Callable[[argparse.Namespace], str]

# joblib warns, when it is imported where it cannot make a semaphore (a full disk or /dev/shm),
# that it will run its loops in one process: the same numbers, more slowly. A command's stderr
# is kept for the one line of its own failure (a full disk's ``No space left on device``).
warnings.filterwarnings(
    "ignore", message=".*joblib will operate in serial mode", category=UserWarning, module="joblib"
)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C raises :class:`KeyboardInterrupt`, so that a ``kill`` shuts a
    command down the same way."""


def run_command(
    parser: argparse.ArgumentParser,
    run: Callable[[argparse.Namespace], int],
    argv: Sequence[str] | None = None,
    *,
    kept: Hook | None = None,
    progress: Callable[[argparse.Namespace], bool] | None = None,
) -> int:
    """Parse ``argv``, run the command and end every expected failure with one line.

    Call it from the main thread (it handles SIGTERM while the run lasts).

    Parameters
    ----------
    parser : ArgumentParser
        The command's parser; its ``prog`` starts every error line.
    run : callable
        ``run(args) -> status``: the command's work, given the parsed arguments.
    argv : sequence of str, optional
        The arguments; default ``sys.argv[1:]``.
    kept : callable, optional
        ``kept(args) -> str``: what the command leaves behind after an :class:`OSError` or a
        stop, and what to run next; appended to that line after ``"; "``.
    progress : callable, optional
        ``progress(args) -> bool``: whether a progress bar may be on stderr's current line; a
        stop then starts a new line.

    Returns
    -------
    int
        ``run``'s status; 130 after Ctrl-C, 143 after SIGTERM, :data:`BROKEN_PIPE_STATUS` after
        the output's reader went away.

    Raises
    ------
    SystemExit
        With status 2 and one error line after bad arguments, a :class:`ValueError` or an
        :class:`OSError` (and with argparse's status after ``--help``).
    """
    _refuse_in_one_line(parser)
    args = parser.parse_args(argv)
    try:
        with _sigterm_as_interrupt():
            status = run(args)
            sys.stdout.flush()
        return status
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_STATUS
    except ValueError as error:
        _chosen(parser, args).error(_message(error, parser))
    except OSError as error:
        parser.exit(2, f"{parser.prog}: error: {_and_kept(_message(error, parser), args, kept)}\n")
    except KeyboardInterrupt as interrupt:
        terminated = isinstance(interrupt, Terminated)
        said = _and_kept("terminated" if terminated else "interrupted", args, kept)
        line_break = "\n" if progress is not None and progress(args) else ""
        print(f"{line_break}{said}", file=sys.stderr)
        return 128 + (signal.SIGTERM if terminated else signal.SIGINT)


@contextlib.contextmanager
def error_prefix(prefix: str) -> Iterator[None]:
    """Put ``prefix: `` before the message of a :class:`ValueError` or :class:`OSError` raised
    in the block, when :func:`run_command` reports it (a note, so a traceback shows it too).

    Prefixes nest: the outermost comes first.
    """
    try:
        yield
    except (OSError, ValueError) as error:
        error.add_note(prefix)
        raise


def _message(error: ValueError | OSError, parser: argparse.ArgumentParser) -> str:
    """The error on one line, after its prefixes: a :class:`ParameterError` of one of the
    command's flags as argparse words a bad flag."""
    if isinstance(error, ParameterError) and flag_name(error.name) in _flags(parser):
        text = error.flag_message()
    else:
        text = str(error)
    prefixes = reversed(getattr(error, "__notes__", ()))
    return " ".join(": ".join((*prefixes, text)).split())


def _flags(parser: argparse.ArgumentParser) -> set[str]:
    """The option strings of ``parser`` and of its sub-commands."""
    flags = set(parser._option_string_actions)
    for command in _commands(parser).values():
        flags |= _flags(command)
    return flags


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The sub-command parsers of ``parser``, by name (none without sub-commands)."""
    commands: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands |= action.choices
    return commands


def _chosen(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The sub-command parser ``args`` were parsed by (``parser`` itself without one)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            name = getattr(args, action.dest, None)
            if name in action.choices:
                return _chosen(action.choices[name], args)
    return parser


def _refuse_in_one_line(parser: argparse.ArgumentParser) -> None:
    """Make ``parser.error``, and each sub-command's, print one line and exit with status 2."""
    parser.error = functools.partial(_refuse, parser)  # type: ignore[method-assign]
    for command in _commands(parser).values():
        _refuse_in_one_line(command)


def _refuse(parser: argparse.ArgumentParser, message: str) -> NoReturn:
    """``prog: error: <message> (see prog --help)`` on stderr, status 2: what argparse prints
    for bad input, less the usage block."""
    said = " ".join(message.split())
    parser.exit(2, f"{parser.prog}: error: {said} (see {parser.prog} --help)\n")


def _and_kept(said: str, args: argparse.Namespace, kept: Hook | None) -> str:
    return said if kept is None else f"{said}; {kept(args)}"


def _silence_stdout() -> None:
    """Point stdout's file descriptor at the null device, so that the interpreter's last flush of
    what is still buffered finds no broken pipe to complain about (Python's advice for SIGPIPE).

    A stdout without a descriptor (captured in memory) is left as it is.
    """
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Raise :class:`Terminated` on SIGTERM while the block runs."""

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
