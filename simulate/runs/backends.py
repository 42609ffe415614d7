"""Where a sweep's chunks run: in this process, in local worker processes, or on a dask cluster.

:class:`ParallelConfig` declares the three settings that choose it (none changes the numbers).
:class:`Workers` connects to them and runs a function over items, yielding each result as it
finishes. A dask scheduler is reached when :class:`Workers` is entered, so a run refuses a bad
address before it writes anything. Local worker processes end within a second when the process
that started them dies, even by SIGKILL or the out-of-memory killer (measured: 0.2 to 0.35 s).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import joblib

from params.settings import setting, validate_fields
from params.validation import Interval, ParameterError

__all__ = ["BACKEND_NAMES", "DEFAULT_BACKEND", "MAX_JOBS", "ParallelConfig", "Workers"]

#: joblib backend used unless another is asked for.
DEFAULT_BACKEND = "loky"
#: Backends a sweep accepts: joblib's that yield results as they finish (its "multiprocessing"
#: backend cannot), and ``"dask"``.
BACKEND_NAMES: tuple[str, ...] = ("dask", "loky", "sequential", "threading")
#: Most worker processes (and the most negative n_jobs, joblib's "all cores but ...").
MAX_JOBS = 1024
#: How long to wait for a dask scheduler to answer.
_DASK_TIMEOUT = "10s"
#: How often a local worker process checks that the process that started it is alive.
_PARENT_POLL_SECONDS = 0.1

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(frozen=True)
class ParallelConfig:
    """How a sweep's chunks are run; the numbers do not depend on it.

    Parameters
    ----------
    n_jobs : int, default -1
        Worker processes (joblib's convention: -1 uses every core); any int but 0 in
        ``[-MAX_JOBS, MAX_JOBS]``.
    backend : str, default "loky"
        A joblib backend of :data:`BACKEND_NAMES`, or ``"dask"`` to run on a dask.distributed
        cluster (needs ``scheduler`` and the ``dask`` extra).
    scheduler : str or None, default None
        Address of the dask scheduler, e.g. ``"tcp://127.0.0.1:8786"``; only with ``"dask"``.

    Raises
    ------
    ParameterError
        Naming the bad setting: ``n_jobs == 0``, an unknown backend, ``"dask"`` without
        dask.distributed installed, a missing or stray scheduler.
    """

    n_jobs: int = setting(
        -1,
        int,
        f"worker processes, at most {MAX_JOBS}; -1 uses every core",
        interval=Interval(-MAX_JOBS, MAX_JOBS, "both"),
    )
    backend: str = setting(
        DEFAULT_BACKEND,
        str,
        "joblib backend; 'dask' runs on a dask.distributed cluster (needs --scheduler)",
        choices=BACKEND_NAMES,
    )
    scheduler: str | None = setting(
        None,
        str,
        "dask scheduler address, e.g. tcp://127.0.0.1:8786 (only with --backend dask)",
        optional=True,
        metavar="ADDRESS",
    )

    def __post_init__(self) -> None:
        validate_fields(self)
        owner = type(self).__name__
        if self.n_jobs == 0:
            raise ParameterError("n_jobs", owner, "a non-zero int (-1 for every core)", 0)
        if self.backend == "dask":
            try:
                importlib.import_module("distributed")
            except ImportError:
                raise ParameterError(
                    "backend",
                    owner,
                    "one of " + ", ".join(repr(name) for name in BACKEND_NAMES),
                    self.backend,
                    "'dask' needs dask.distributed: pip install '.[dask]'",
                ) from None
        if self.backend == "dask" and self.scheduler is None:
            raise ParameterError(
                "scheduler", owner, "a dask scheduler address when backend is 'dask'", None
            )
        if self.backend != "dask" and self.scheduler is not None:
            raise ParameterError(
                "scheduler", owner, "None unless backend is 'dask'", self.scheduler
            )


class Workers:
    """The workers of one run, as set by ``parallel``; use as a context manager.

    Entering connects to the dask scheduler (for ``"dask"``); leaving disconnects. Local worker
    processes are started on first use, leave Ctrl-C to this process and end with it (see
    :func:`_init_worker`).

    Parameters
    ----------
    parallel : ParallelConfig
        Which workers, and how many.

    Raises
    ------
    ParameterError
        On entering, if the dask scheduler cannot be reached or its address is not understood;
        the message names ``scheduler`` and says why.
    """

    def __init__(self, parallel: ParallelConfig) -> None:
        self.parallel = parallel
        self._resources = contextlib.ExitStack()

    def __enter__(self) -> Workers:
        if self.parallel.backend == "dask":
            self._resources.enter_context(_dask_client(self.parallel.scheduler))
        return self

    def __exit__(self, *exception: object) -> None:
        self._resources.close()

    def imap_unordered(
        self, function: Callable[[Item], Result], items: Iterable[Item]
    ) -> Iterator[tuple[Item, Result]]:
        """Yield ``(item, function(item))`` for every item, in the order they finish.

        With one job and a local backend the items run in this process, in order.
        """
        items = list(items)
        if not items:
            return
        parallel = self.parallel
        if parallel.n_jobs == 1 and parallel.backend != "dask":
            for item in items:
                yield item, function(item)
            return
        options: dict[str, Any] = {"backend": parallel.backend, "n_jobs": parallel.n_jobs}
        if parallel.backend == "loky":
            options.update(initializer=_init_worker, initargs=(os.getpid(),))
        with joblib.parallel_config(**options):
            tasks = (joblib.delayed(_labelled)(function, item) for item in items)
            yield from joblib.Parallel(return_as="generator_unordered")(tasks)


def _labelled(function: Callable[[Any], Any], item: Any) -> tuple[Any, Any]:
    return item, function(item)


def _init_worker(parent: int) -> None:
    """Initializer of a local worker process: leave Ctrl-C to ``parent``, and end with it.

    A terminal's Ctrl-C reaches every process of the run; the parent stops the workers, so a
    worker ignores SIGINT instead of printing a traceback of its own. When the parent dies, the
    worker is adopted by another process; a thread notices within :data:`_PARENT_POLL_SECONDS`
    and ends the worker, even mid-task. Without it, loky keeps an orphaned worker alive until its
    idle timeout, five minutes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _dask_client(scheduler: str) -> contextlib.AbstractContextManager:
    from distributed import Client

    try:
        return Client(scheduler, timeout=_DASK_TIMEOUT)
    except Exception as error:  # distributed raises OSError, TypeError or ValueError, by scheme
        raise ParameterError(
            "scheduler",
            "ParallelConfig",
            "the address of a dask scheduler that answers",
            scheduler,
            " ".join(f"{type(error).__name__}: {error}".split()),
        ) from None
