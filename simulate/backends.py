"""Where a sweep's chunks run: in this process, in joblib workers, or on a dask cluster.

:class:`ParallelConfig` declares the three settings that choose it (none changes the numbers), and
:func:`imap_unordered` runs a function over items on that backend, yielding each result as it
finishes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import joblib
import numpy as np
from joblib.parallel import BACKENDS

from params.settings import setting, validate_fields
from params.validation import Interval, ParameterError

__all__ = ["BACKEND_NAMES", "DEFAULT_BACKEND", "ParallelConfig", "imap_unordered"]

#: joblib backend used unless another is asked for.
DEFAULT_BACKEND = "loky"
#: Backends a sweep accepts: joblib's registered ones and ``"dask"``.
BACKEND_NAMES: tuple[str, ...] = tuple(sorted({*BACKENDS, "dask"}))
#: How long to wait for a dask scheduler to answer.
_DASK_TIMEOUT = "10s"

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(frozen=True)
class ParallelConfig:
    """How a sweep's chunks are run; the numbers do not depend on it.

    Parameters
    ----------
    n_jobs : int, default -1
        Worker processes (joblib's convention: -1 uses every core); any int but 0.
    backend : str, default "loky"
        A joblib backend of :data:`BACKEND_NAMES`, or ``"dask"`` to run on a dask.distributed
        cluster (needs ``scheduler`` and the ``dask`` extra).
    scheduler : str or None, default None
        Address of the dask scheduler, e.g. ``"tcp://127.0.0.1:8786"``; only with ``"dask"``.

    Raises
    ------
    ParameterError
        Naming the bad setting: ``n_jobs == 0``, an unknown backend, a missing or stray
        scheduler.
    """

    n_jobs: int = setting(
        -1, int, "worker processes; -1 uses every core", interval=Interval(-np.inf, np.inf)
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
        if self.backend == "dask" and self.scheduler is None:
            raise ParameterError(
                "scheduler", owner, "a dask scheduler address when backend is 'dask'", None
            )
        if self.backend != "dask" and self.scheduler is not None:
            raise ParameterError(
                "scheduler", owner, "None unless backend is 'dask'", self.scheduler
            )


def imap_unordered(
    function: Callable[[Item], Result], items: Iterable[Item], parallel: ParallelConfig
) -> Iterator[tuple[Item, Result]]:
    """Yield ``(item, function(item))`` for every item, in the order they finish.

    With one job and a local backend the items run in this process, in order.

    Raises
    ------
    ValueError
        If the dask backend is asked for without dask.distributed installed, or its scheduler
        cannot be reached.
    """
    items = list(items)
    if not items:
        return
    if parallel.n_jobs == 1 and parallel.backend != "dask":
        for item in items:
            yield item, function(item)
        return
    with contextlib.ExitStack() as stack:
        if parallel.backend == "dask":
            stack.enter_context(_dask_client(parallel.scheduler))
        stack.enter_context(
            joblib.parallel_config(backend=parallel.backend, n_jobs=parallel.n_jobs)
        )
        tasks = (joblib.delayed(_labelled)(function, item) for item in items)
        yield from joblib.Parallel(return_as="generator_unordered")(tasks)


def _labelled(function: Callable[[Any], Any], item: Any) -> tuple[Any, Any]:
    return item, function(item)


def _dask_client(scheduler: str) -> contextlib.AbstractContextManager:
    try:
        from distributed import Client
    except ImportError:
        raise ValueError(
            "The 'dask' backend needs dask.distributed: pip install '.[dask]'."
        ) from None
    try:
        return Client(scheduler, timeout=_DASK_TIMEOUT)
    except OSError as error:
        raise ValueError(f"Cannot reach the dask scheduler at {scheduler!r}: {error}") from None
