"""Where the numba tree's time goes: the shared kernel's phases, and the steps around it.

On the post's datasets (make_classification as the sweep draws them, split 75/25, the post's 15
weights) this prints two tables:

- per dataset, the wall time of each step of :func:`simulate.models.numba_tree.numba_counts`:
  sorting the features (``sort_features``), growing the trees (``fit_trees_shared``), predicting
  the test split (``predict_trees``) and counting outcomes (``count_outcomes``);
- inside ``fit_trees_shared``, the share of each phase: packing the sample order
  (``_pack_order``), the candidate scan per node and feature (``_candidate_cuts``), each weight's
  choice among the candidates (``_best_candidate``), the copies of a node's rows for the subgroups
  of weights that part there (``_copy_columns``), and laying out the children's rows
  (``_lay_out_children``, split into its full partitions ``_partition``, compactions
  ``_compact`` and child sorts ``_sort_child``); ``other`` is the rest (node bookkeeping, stack,
  groups of weights), with each phase's calls, units of work and cycles per unit.

The phases are timed by a separately compiled copy of the kernel in which each phase function is
wrapped by a counter that reads the CPU's cycle counter around the call; the kernel's code itself is
untouched. The wrappers add a few tens of cycles per call: the instrumented kernel's wall time is
printed next to the plain kernel's, and the instrumented trees are checked to equal the plain ones.
Cycle counts are the counter's ticks (a constant rate on current x86 CPUs), so only the shares and
the ratios between phases are meant to be compared.

Run: ``python benchmarks/bench_tree_kernel.py [--reps N] [--n-samples N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numba
import numpy as np
from llvmlite import ir
from numba import carray, njit, types
from numba.core import cgutils
from numba.extending import intrinsic

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _machine import cpu_model

from params.post import ALPHAS, SEPS
from simulate.config import SweepConfig
from simulate.data.splits import dataset_seeds, make_dataset
from simulate.models import _tree_kernels as kernels
from simulate.models.numba_tree import UNLIMITED_DEPTH, FittedTrees, empty_trees

#: 5 class_sep values over the span of the post's.
CLASS_SEPS = np.linspace(SEPS[0], SEPS[-1], 5)
#: The kernel's phase functions, in the order printed: (name, label, what one unit of work is).
PHASES = (
    ("_pack_order", "pack sample order", "entry"),
    ("_candidate_cuts", "candidate scan", "entry"),
    ("_best_candidate", "choose per weight", "candidate"),
    ("_copy_columns", "copy for subgroups", "column"),
    ("_lay_out_children", "lay out children", "node entry"),
    ("_partition", "  full partition", "node entry"),
    ("_compact", "  compaction", "row entry"),
    ("_sort_child", "  child sort", "child entry"),
    ("fit_trees_shared", "whole kernel", "sample"),
)
#: Phases nested in ``_lay_out_children`` (not added again to the kernel's total).
NESTED = ("_partition", "_compact", "_sort_child")
#: Rows of the layout phase and of the whole kernel in :data:`COUNTERS`.
LAY_OUT, KERNEL = 4, len(PHASES) - 1
#: Counter columns: cycles, calls, units of work; one row per phase.
CYCLES, CALLS, UNITS = 0, 1, 2
COUNTERS = np.zeros((len(PHASES), 3), dtype=np.int64)
COUNTERS_ADDRESS = COUNTERS.ctypes.data


@intrinsic
def _cycles(typingctx):
    """The CPU's cycle counter (``llvm.readcyclecounter``)."""

    def codegen(context, builder, signature, args):
        function_type = ir.FunctionType(ir.IntType(64), [])
        function = cgutils.get_or_insert_function(
            builder.module, function_type, "llvm.readcyclecounter"
        )
        return builder.call(function, [])

    return types.int64(), codegen


@intrinsic
def _int64_pointer(typingctx, address):
    """``address`` as a pointer to int64, to write into :data:`COUNTERS` from compiled code."""

    def codegen(context, builder, signature, args):
        return builder.inttoptr(args[0], ir.IntType(64).as_pointer())

    return types.CPointer(types.int64)(types.intp), codegen


# Units of work of one call of each phase, from its arguments.
@njit
def _pack_units(x_by_feature, y, order, packed, rank):
    return order.size


@njit
def _scan_units(x_by_feature, order, f, start, end, *rest):
    return end - start


@njit
def _choose_units(start, n0, n1, alpha, cand_pos, cand_n1_left, n_cand, best):
    return n_cand.sum()


@njit
def _copy_units(work, source, destination, n):
    return n


@njit
def _lay_out_units(work, packed, rank, begin, n, *rest):
    return n


@njit
def _partition_units(order, start, end, *rest):
    return (end - start) * (order.shape[0] - 1)


@njit
def _compact_units(row, begin, end, *rest):
    return end - begin


@njit
def _sort_units(work, packed, rank, child_start, size, *rest):
    return size * (work.shape[0] - 1)


@njit
def _kernel_units(x_by_feature, y, *rest):
    return y.shape[0]


UNIT_FUNCTIONS = (
    _pack_units,
    _scan_units,
    _choose_units,
    _copy_units,
    _lay_out_units,
    _partition_units,
    _compact_units,
    _sort_units,
    _kernel_units,
)


def _timed(kernel, slot: int, units):
    """``kernel`` wrapped to add its cycles, one call and its units of work to row ``slot``."""

    @njit
    def timed(*args):
        counters = carray(_int64_pointer(COUNTERS_ADDRESS), COUNTERS.shape)
        begin = _cycles()
        result = kernel(*args)
        counters[slot, CYCLES] += _cycles() - begin
        counters[slot, CALLS] += 1
        counters[slot, UNITS] += units(*args)
        return result

    return timed


def _instrumented_kernel(example):
    """A fresh compile of ``fit_trees_shared`` with every phase of :data:`PHASES` timed.

    The kernel module's phase functions are swapped for timed ones while the copy compiles (numba
    binds a function's globals at compile time), then put back.
    """
    names = [name for name, _, _ in PHASES[:KERNEL]]
    saved = {name: getattr(kernels, name) for name in names}
    try:
        for slot, name in enumerate(names):
            function = saved[name]
            if name == "_lay_out_children":  # recompiled so that it calls the timed nested phases
                function = njit(function.py_func)
            setattr(kernels, name, _timed(function, slot, UNIT_FUNCTIONS[slot]))
        kernel = _timed(njit(kernels.fit_trees_shared.py_func), KERNEL, _kernel_units)
        _grow(kernel, *example)
    finally:
        for name, function in saved.items():
            setattr(kernels, name, function)
    return kernel


def _inputs(data):
    """The kernel's inputs, prepared as :func:`simulate.models.numba_tree.fit_trees` does."""
    x_by_feature = np.ascontiguousarray(np.asarray(data.X_train, dtype=np.float32).T)
    y = np.ascontiguousarray(data.y_train, dtype=np.uint8)
    order = np.empty(x_by_feature.shape, dtype=np.int32)
    kernels.sort_features(x_by_feature, order)
    return x_by_feature, y, order


def _grow(kernel, x_by_feature, y, order) -> FittedTrees:
    """The trees ``kernel`` grows for the post's weights."""
    alphas = np.asarray(ALPHAS, dtype=np.float64)
    trees = empty_trees(alphas.shape[0], y.shape[0])
    kernel(x_by_feature, y, order, alphas, UNLIMITED_DEPTH, 1, *trees)
    return trees


def _same_trees(a: FittedTrees, b: FittedTrees) -> bool:
    """Whether two fits hold the same trees."""
    if not np.array_equal(a.n_nodes, b.n_nodes):
        return False
    return all(
        np.array_equal(x[k, :n], z[k, :n])
        for x, z in zip(a[:5], b[:5], strict=True)
        for k, n in enumerate(a.n_nodes)
    )


def _datasets(reps: int, n_samples: int):
    """The post's train/test splits, made as the sweep makes them: ``reps`` per class_sep."""
    config = SweepConfig(n_samples=n_samples)
    for index, class_sep in enumerate(CLASS_SEPS):
        for rep in range(reps):
            yield make_dataset(
                float(class_sep), dataset_seeds(0, index, rep), **config.data_settings()
            )


def _steps(data, instrumented, seconds: dict[str, float]) -> FittedTrees:
    """Time each step of one dataset's work into ``seconds``; return the plain kernel's trees."""
    start = time.perf_counter()
    inputs = _inputs(data)
    seconds["sort features"] += time.perf_counter() - start
    start = time.perf_counter()
    trees = _grow(kernels.fit_trees_shared, *inputs)
    seconds["grow trees"] += time.perf_counter() - start
    x_test = np.ascontiguousarray(data.X_test, dtype=np.float32)
    predicted = np.empty((trees.n_nodes.shape[0], x_test.shape[0]), dtype=np.uint8)
    start = time.perf_counter()
    kernels.predict_trees(
        trees.feature, trees.threshold, trees.right, trees.value, x_test, predicted
    )
    seconds["predict"] += time.perf_counter() - start
    counts = np.empty((predicted.shape[0], 4), dtype=np.int64)
    start = time.perf_counter()
    kernels.count_outcomes(np.ascontiguousarray(data.y_test, dtype=np.uint8), predicted, counts)
    seconds["count outcomes"] += time.perf_counter() - start
    start = time.perf_counter()
    timed_trees = _grow(instrumented, *inputs)
    seconds["grow trees, instrumented"] += time.perf_counter() - start
    if not _same_trees(trees, timed_trees):
        raise AssertionError("the instrumented kernel grew other trees")
    return trees


def _step_seconds() -> dict[str, float]:
    """Zeroed seconds of each timed step."""
    return dict.fromkeys(
        ("sort features", "grow trees", "predict", "count outcomes", "grow trees, instrumented"),
        0.0,
    )


def _print_phases(n_features: int, n_train: int, n_datasets: int) -> None:
    """The phase table and what bounds the kernel."""
    total = COUNTERS[KERNEL, CYCLES]
    timed = sum(COUNTERS[slot, CYCLES] for slot, (name, _, _) in enumerate(PHASES[:KERNEL]))
    nested = sum(
        COUNTERS[slot, CYCLES] for slot, (name, _, _) in enumerate(PHASES) if name in NESTED
    )
    print(f"{'phase':<22}{'share':>7}{'calls':>10}{'units':>12}  {'unit':<12}{'cycles/unit':>11}")
    for slot, (_, label, unit) in enumerate(PHASES):
        cycles, calls, units = COUNTERS[slot]
        print(
            f"{label:<22}{cycles / total:>7.1%}{calls:>10}{units:>12}  {unit:<12}"
            f"{cycles / units:>11.1f}"
        )
    other = total - (timed - nested)
    print(f"{'other (bookkeeping)':<22}{other / total:>7.1%}")
    print(f"whole kernel: {total / n_datasets / 1e6:.1f} M cycles per dataset")
    scan = COUNTERS[1]
    passes = scan[UNITS] / (n_datasets * n_features * n_train)
    print()
    print(
        f"split nodes: {scan[CALLS] / n_features / n_datasets:.0f} per dataset, each searched once "
        f"for all the weights that reach it; together they hold {passes:.1f} x n_train samples"
    )
    print(
        "bound: passes over the sorted rows of every split node, linear in its samples: "
        f"scan {scan[CYCLES] / total:.0%} + lay-out {COUNTERS[LAY_OUT, CYCLES] / total:.0%} of "
        f"the kernel. The trees are deep (a split often peels a few samples off a large node), so "
        f"each feature's row is read about {passes:.0f} times per dataset, at a few cycles per "
        "entry"
    )


def main() -> None:
    """Time the steps and the kernel's phases on the same datasets and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=4, help="datasets per class_sep")
    parser.add_argument("--n-samples", type=int, default=10000, help="samples per dataset")
    args = parser.parse_args()

    datasets = list(_datasets(args.reps, args.n_samples))
    instrumented = _instrumented_kernel(_inputs(datasets[0]))
    _steps(datasets[0], instrumented, _step_seconds())  # warm-up: JIT compile or cache load
    COUNTERS[:] = 0
    seconds = _step_seconds()
    n_nodes = 0
    for data in datasets:
        n_nodes += int(_steps(data, instrumented, seconds).n_nodes.sum())
    n_datasets = len(datasets)
    n_features, n_train = datasets[0].X_train.shape[1], datasets[0].X_train.shape[0]

    print("bench_tree_kernel: where the numba tree's time goes")
    print(f"command:   python {' '.join(sys.argv)}")
    print(
        f"versions:  python {platform.python_version()}, numpy {np.__version__}, "
        f"numba {numba.__version__}"
    )
    print(f"CPU:       {cpu_model()} ({os.cpu_count()} logical cores visible)")
    print(
        f"datasets:  {n_datasets} ({args.reps} per class_sep in {np.round(CLASS_SEPS, 3)}), "
        f"n_train={n_train}, {n_features} features, {len(ALPHAS)} weights; "
        f"{n_nodes / n_datasets / len(ALPHAS):.0f} nodes per tree"
    )
    print()
    work = sum(v for k, v in seconds.items() if k != "grow trees, instrumented")
    print(f"{'step (per dataset)':<26}{'ms':>8}{'share':>8}")
    for name, value in seconds.items():
        share = f"{value / work:>8.1%}" if name != "grow trees, instrumented" else ""
        print(f"{name:<26}{value / n_datasets * 1e3:>8.2f}{share}")
    print()
    _print_phases(n_features, n_train, n_datasets)


if __name__ == "__main__":
    main()
