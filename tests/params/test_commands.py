"""run_command: every expected failure is one line and an exit status; a success is 0."""

import argparse
import errno
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from params.commands import BROKEN_PIPE_STATUS, error_prefix, run_command
from params.validation import ParameterError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="toy")
    parser.add_argument("--rate", type=float, default=0.5)
    parser.add_argument("--quiet", action="store_true")
    return parser


def _raising(error: BaseException):
    def run(args: argparse.Namespace) -> int:
        raise error

    return run


def _error_line(capsys, argv, run, parser=None, **hooks) -> str:
    """The one line of a failed run, after checking the status and that nothing else (no usage
    block) is printed."""
    with pytest.raises(SystemExit) as exit_info:
        run_command(parser or _parser(), run, argv, **hooks)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.endswith("\n")
    return captured.err.rstrip("\n")


def _with_commands() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="toy")
    commands = parser.add_subparsers(dest="command")
    show = commands.add_parser("show")
    show.add_argument("--width", type=int, required=True)
    show.add_argument("--rate", type=float)
    return parser


def test_a_run_that_succeeds_returns_its_status(capsys):
    def run(args: argparse.Namespace) -> int:
        print(f"rate {args.rate}")
        return 0

    assert run_command(_parser(), run, ["--rate", "0.25"]) == 0
    assert capsys.readouterr() == ("rate 0.25\n", "")


def test_a_bad_flag_is_argparses_one_line_without_the_usage(capsys):
    line = _error_line(capsys, ["--rate", "x"], _raising(AssertionError("never run")))
    assert line == "toy: error: argument --rate: invalid float value: 'x' (see toy --help)"
    line = _error_line(capsys, ["--size", "3"], _raising(AssertionError("never run")))
    assert line == "toy: error: unrecognized arguments: --size 3 (see toy --help)"


def test_a_parameter_error_of_a_flag_is_worded_as_the_flag(capsys):
    error = ParameterError("rate", "api", "a float in the range (0, 1)", 1.5)
    line = _error_line(capsys, [], _raising(error))
    assert line == (
        "toy: error: argument --rate: must be a float in the range (0, 1). Got 1.5 instead. "
        "(see toy --help)"
    )


def test_a_parameter_error_of_no_flag_keeps_its_own_words(capsys):
    error = ParameterError("width", "api", "an int in the range [1, inf)", 0)
    line = _error_line(capsys, [], _raising(error))
    assert line == (
        "toy: error: The 'width' parameter of api must be an int in the range [1, inf). "
        "Got 0 instead. (see toy --help)"
    )


def test_a_flag_of_a_sub_command_is_known(capsys):
    error = ParameterError("width", "api", "an int in the range [1, inf)", 0)
    line = _error_line(capsys, ["show", "--width", "3"], _raising(error), _with_commands())
    assert line == (
        "toy show: error: argument --width: must be an int in the range [1, inf). Got 0 "
        "instead. (see toy show --help)"
    )


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["show", "--width", "x"], "toy show: error: argument --width: invalid int value: 'x'"),
        (["show"], "toy show: error: the following arguments are required: --width"),
        (["hide"], "toy: error: argument command: invalid choice: 'hide' (choose from 'show')"),
    ],
)
def test_argparses_errors_of_a_sub_command_are_one_line(capsys, argv, said):
    line = _error_line(capsys, argv, _raising(AssertionError("never run")), _with_commands())
    prog = said.split(": error:")[0]
    assert line == f"{said} (see {prog} --help)"


def test_an_error_the_run_gives_its_parser_is_one_line(capsys):
    parser = _with_commands()

    def run(args: argparse.Namespace) -> int:
        commands = parser._subparsers._group_actions[0].choices
        commands["show"].error("--rate needs --width above 2")

    line = _error_line(capsys, ["show", "--width", "1"], run, parser)
    assert line == "toy show: error: --rate needs --width above 2 (see toy show --help)"


def test_a_value_error_is_one_line_and_a_pointer_to_the_help(capsys):
    line = _error_line(capsys, [], _raising(ValueError("The table\n  has   no rows.")))
    assert line == "toy: error: The table has no rows. (see toy --help)"


def test_an_os_error_is_one_line_without_the_usage(capsys):
    full = OSError(errno.ENOSPC, "No space left on device", "out/a.png")
    with pytest.raises(SystemExit) as exit_info:
        run_command(_parser(), _raising(full), [], kept=lambda args: "nothing was kept")
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (
        "toy: error: [Errno 28] No space left on device: 'out/a.png'; nothing was kept\n"
    )


def test_prefixes_say_what_the_run_was_doing(capsys):
    def run(args: argparse.Namespace) -> int:
        with error_prefix("Cannot draw the figures"), error_prefix("Cannot write 'a.png'"):
            raise OSError(errno.EACCES, "Permission denied")

    line = _error_line(capsys, [], run)
    assert line == "toy: error: Cannot draw the figures: Cannot write 'a.png': [Errno 13] " + (
        "Permission denied"
    )


def test_a_prefix_leaves_other_errors_alone():
    with pytest.raises(KeyError) as raised, error_prefix("Cannot read"):
        raise KeyError("x")
    assert not hasattr(raised.value, "__notes__")


@pytest.mark.parametrize(
    ("argv", "hooks", "said"),
    [
        ([], {}, "interrupted\n"),
        ([], {"kept": lambda args: "run it again"}, "interrupted; run it again\n"),
        ([], {"progress": lambda args: not args.quiet}, "\ninterrupted\n"),
        (["--quiet"], {"progress": lambda args: not args.quiet}, "interrupted\n"),
    ],
)
def test_ctrl_c_is_one_line_and_status_130(argv, hooks, said, capsys):
    assert run_command(_parser(), _raising(KeyboardInterrupt), argv, **hooks) == 130
    assert capsys.readouterr() == ("", said)


def test_sigterm_is_one_line_and_status_143(capsys):
    def run(args: argparse.Namespace) -> int:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        return 0

    before = signal.getsignal(signal.SIGTERM)
    assert run_command(_parser(), run, [], kept=lambda args: "kept nothing") == 143
    assert capsys.readouterr().err == "terminated; kept nothing\n"
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_broken_pipe_ends_quietly(capsys):
    assert run_command(_parser(), _raising(BrokenPipeError()), []) == BROKEN_PIPE_STATUS
    assert capsys.readouterr() == ("", "")


def test_anything_else_keeps_its_traceback():
    with pytest.raises(ZeroDivisionError):
        run_command(_parser(), lambda args: 1 // 0, [])


#: A command on the helper that prints ``lines`` lines, then waits for a signal.
COMMAND = textwrap.dedent(
    """
    import argparse, sys, time
    from params.commands import run_command

    def run(args):
        for i in range(args.lines):
            print(f"line {i}")
        sys.stdout.flush()
        if args.wait:
            print("ready", file=sys.stderr, flush=True)
            time.sleep(60)
        return 0

    parser = argparse.ArgumentParser(prog="toy")
    parser.add_argument("--lines", type=int, default=1)
    parser.add_argument("--wait", action="store_true")
    sys.exit(run_command(parser, run, kept=lambda args: "nothing was kept"))
    """
)


def _start(*argv: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", COMMAND, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_output_piped_into_head_ends_quietly():
    process = _start("--lines", "1000000")
    assert process.stdout.readline() == "line 0\n"
    process.stdout.close()
    assert process.wait(timeout=60) == BROKEN_PIPE_STATUS
    assert process.stderr.read() == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("number", "status", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_stopped_process_says_so_in_one_line(number, status, said):
    process = _start("--wait")
    assert process.stderr.readline() == "ready\n"
    process.send_signal(number)
    out, err = process.communicate(timeout=60)
    assert process.returncode == status
    assert out == "line 0\n"
    assert err == f"{said}; nothing was kept\n"
