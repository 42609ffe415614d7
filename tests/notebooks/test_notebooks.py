"""Every notebook runs top to bottom in a fresh kernel of this interpreter, at small sizes."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from tests.notebooks.execute import (
    NOTEBOOKS_DIR,
    execute,
    notebook_paths,
    parameters_cell,
    set_parameters,
)

pytestmark = pytest.mark.notebooks

#: Overrides of each notebook's parameters cell that keep the whole run short.
SMALL_PARAMETERS: dict[str, dict[str, object]] = {
    "01_theory.ipynb": {"N_ALPHA": 20},
    "02_simulation.ipynb": {
        "SEPS": (0.5, 2.0),
        "REPS": 2,
        "N_SAMPLES": 2000,
        "N_JOBS": 1,
    },
    "03_what_if.ipynb": {"N_ALPHA": 50, "N_BOOTSTRAP": 20},
}
#: Prints the kernel's interpreter prefix, to check which environment runs the notebook.
_PREFIX_PROBE = "import sys\nprint(sys.prefix)"


def test_every_notebook_has_small_parameters() -> None:
    assert sorted(SMALL_PARAMETERS) == [path.name for path in notebook_paths()]


@pytest.mark.parametrize("name", sorted(SMALL_PARAMETERS))
def test_notebook_runs(name: str, tmp_path: Path) -> None:
    copy = tmp_path / name
    copy.write_bytes((NOTEBOOKS_DIR / name).read_bytes())
    nb = nbformat.read(copy, as_version=4)
    parameters_cell(nb)
    set_parameters(nb, SMALL_PARAMETERS[name])
    nb.cells.insert(0, new_code_cell(_PREFIX_PROBE))

    executed = execute(nb, cwd=NOTEBOOKS_DIR)
    nbformat.write(executed, copy)

    probe = executed.cells[0].outputs
    assert [output.get("text", "").strip() for output in probe] == [sys.prefix]
    code_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code_cells)
    errors = [
        output
        for cell in code_cells
        for output in cell.outputs
        if output.output_type == "error" or output.get("name") == "stderr"
    ]
    assert errors == []


def test_set_parameters_refuses_unknown_names() -> None:
    nb = nbformat.read(NOTEBOOKS_DIR / "01_theory.ipynb", as_version=4)
    with pytest.raises(ValueError, match="does not assign N_ALPHAS"):
        set_parameters(nb, {"N_ALPHAS": 3})
