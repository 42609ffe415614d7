"""What the study commands that run several sweeps into one folder share: their flags and how
a stopped run is reported."""

from __future__ import annotations

import argparse

__all__ = ["add_sweeps_arguments", "check_sweeps_arguments", "kept_sweeps", "unless_quiet"]


def add_sweeps_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--resume``, ``--force`` and ``--quiet`` to a study's ``parser``."""
    parser.add_argument(
        "--resume", action="store_true", help="read finished sweeps back, continue the others"
    )
    parser.add_argument("--force", action="store_true", help="run every sweep again")
    parser.add_argument("--quiet", action="store_true", help="no progress bars and no tables")


def check_sweeps_arguments(args: argparse.Namespace) -> None:
    """Refuse ``--resume`` with ``--force`` (ValueError)."""
    if args.resume and args.force:
        raise ValueError("--resume and --force cannot be given together")


def kept_sweeps(args: argparse.Namespace) -> str:
    """What a stopped study leaves behind."""
    return f"the finished sweeps and chunks are kept in {args.out}; rerun with --resume"


def unless_quiet(args: argparse.Namespace) -> bool:
    """Whether a command draws progress bars: unless ``--quiet``."""
    return not args.quiet
