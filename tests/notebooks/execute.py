"""Execute the notebooks in a fresh kernel, with their parameters overridden if asked.

The test suite uses :func:`execute` with small parameters. Run as a module to refresh the
committed outputs at the notebooks' own parameters::

    python -m tests.notebooks.execute            # every notebook
    python -m tests.notebooks.execute 02_simulation.ipynb

Each notebook runs with ``notebooks/`` as its working directory and the repository first on
``PYTHONPATH``, so the kernel imports this checkout's packages, as the tests do. Refreshed
notebooks keep their outputs but lose what changes from run to run without changing what they
show: execution timestamps, widget state and views, and the interpreter's version.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode

__all__ = [
    "KERNEL_NAME",
    "NOTEBOOKS_DIR",
    "PARAMETERS_TAG",
    "REPOSITORY",
    "execute",
    "notebook_paths",
    "parameters_cell",
    "set_parameters",
    "strip_volatile",
]

REPOSITORY = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPOSITORY / "notebooks"
#: Tag of the first code cell, which holds the notebook's size knobs.
PARAMETERS_TAG = "parameters"
#: The ipykernel kernel of the interpreter that runs this module.
KERNEL_NAME = "python3"
#: Seconds one cell may take.
CELL_TIMEOUT = 300
#: Seconds the kernel may take to start.
STARTUP_TIMEOUT = 120
#: Output types of ipywidgets, which mean nothing without the widget state of a live kernel.
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def notebook_paths() -> list[Path]:
    """The notebooks of ``notebooks/``, in name order."""
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def parameters_cell(nb: NotebookNode) -> NotebookNode:
    """The first code cell, which must carry the :data:`PARAMETERS_TAG` tag.

    Raises
    ------
    ValueError
        If the notebook has no code cell or its first one is not tagged.
    """
    for cell in nb.cells:
        if cell.cell_type == "code":
            if PARAMETERS_TAG not in cell.metadata.get("tags", []):
                raise ValueError(f"The first code cell is not tagged {PARAMETERS_TAG!r}.")
            return cell
    raise ValueError("The notebook has no code cell.")


def set_parameters(nb: NotebookNode, values: Mapping[str, Any]) -> None:
    """Override parameters by appending assignments to the parameters cell.

    Raises
    ------
    ValueError
        If a name is not assigned in the parameters cell, so a misspelt override cannot pass
        silently.
    """
    cell = parameters_cell(nb)
    assigned = {line.split("=")[0].strip() for line in cell.source.splitlines() if "=" in line}
    unknown = sorted(set(values) - assigned)
    if unknown:
        raise ValueError(f"The parameters cell does not assign {', '.join(unknown)}.")
    overrides = "".join(f"\n{name} = {value!r}" for name, value in values.items())
    cell.source = cell.source.rstrip("\n") + "\n\n# Overridden for this run:" + overrides


def execute(nb: NotebookNode, *, cwd: Path = NOTEBOOKS_DIR) -> NotebookNode:
    """Run every cell of ``nb`` in a fresh ``python3`` kernel with working directory ``cwd``.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        On the first cell that raises.
    """
    paths = [str(REPOSITORY), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        startup_timeout=STARTUP_TIMEOUT,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(cwd)}},
    )
    return client.execute(env=env)


def strip_volatile(nb: NotebookNode) -> NotebookNode:
    """Drop timestamps, widget views and interpreter details; number executed cells 1, 2, ..."""
    nb.metadata = nbformat.from_dict(
        {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": KERNEL_NAME,
            },
            "language_info": {"name": "python"},
        }
    )
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        cell.outputs = [
            output for output in cell.outputs if _WIDGET_MIME not in output.get("data", {})
        ]
        count += 1
        cell.execution_count = count
        for output in cell.outputs:
            if "execution_count" in output:
                output.execution_count = count
    return nb


def main(argv: Sequence[str] | None = None) -> int:
    """Refresh the committed outputs of the named notebooks (all by default)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("names", nargs="*", help="notebook file names in notebooks/")
    args = parser.parse_args(argv)
    paths = [NOTEBOOKS_DIR / name for name in args.names] or notebook_paths()
    for path in paths:
        print(f"executing {path.name}", file=sys.stderr)
        nb = nbformat.read(path, as_version=4)
        nbformat.write(strip_volatile(execute(nb)), path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
