"""A study's sweeps: each run into its own folder under the study's, by label."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from simulate.config import SweepConfig
from simulate.runs.folder import RUN_FILE, RunData, load_run
from simulate.sweep import run_sweep

__all__ = ["run_sweeps"]


def run_sweeps(
    sweeps: Mapping[str, SweepConfig],
    out: str | Path,
    *,
    n_jobs: int | None = None,
    progress: bool = True,
    resume: bool = False,
    force: bool = False,
) -> dict[str, RunData]:
    """Run each sweep into ``out/<label>`` (:func:`simulate.run_sweep`) and return its data.

    With ``resume``, a sweep whose folder holds a finished run with the same settings is read
    back (:func:`simulate.load_run`) and an unfinished one continues; ``force`` starts every
    sweep again.

    Raises
    ------
    ValueError
        As :func:`simulate.run_sweep` does, and with ``resume`` for a finished sweep whose
        settings differ from its label's.
    OSError
        If writing fails; the finished sweeps and chunks are kept for ``resume``.
    """
    runs = {}
    for label, config in sweeps.items():
        folder = Path(out) / label
        if resume and (folder / RUN_FILE).is_file():
            runs[label] = _finished(folder, config)
            continue
        started = resume and folder.is_dir() and any(folder.iterdir())
        runs[label] = run_sweep(
            config,
            n_jobs=n_jobs,
            out=folder,
            progress=progress,
            resume=started,
            force=force,
        )
    return runs


def _finished(folder: Path, config: SweepConfig) -> RunData:
    """The finished run in ``folder``, refused if it was run with other settings (compared as
    recorded: a default number of repetitions as the number it stands for)."""
    run = load_run(folder)
    if SweepConfig.from_dict(run.run["config"]).to_dict() != config.to_dict():
        raise ValueError(
            f"The finished run in {str(folder)!r} has other settings than the study's; "
            "run with --force to start it again, or choose another --out."
        )
    return run
