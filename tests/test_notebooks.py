"""The notebooks run top to bottom on a small generated marketplace, and are committed clean.

Parameters are passed as papermill does: a cell assigning the new values is injected right
after the cell tagged ``parameters``.
"""

import ast
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
N_ACCOUNTS = 5_000
CELL_TIMEOUT = 300


def inject_parameters(book, **values):
    """Insert a cell assigning ``values`` after the ``parameters`` cell (papermill's way)."""
    index = next(i for i, cell in enumerate(book.cells) if "parameters" in cell.metadata.get("tags", []))
    cell = nbformat.v4.new_code_cell("\n".join(f"{k} = {v!r}" for k, v in values.items()))
    cell.metadata["tags"] = ["injected-parameters"]
    book.cells.insert(index + 1, cell)
    return book


def test_there_are_three_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01_quickstart.ipynb", "02_investigate_a_cluster.ipynb", "03_train_and_evaluate.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_with_outputs_cleared(path):
    book = nbformat.read(path, as_version=4)

    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_papermill_style(path):
    book = nbformat.read(path, as_version=4)

    tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    # Only plain assignments of literals, so papermill can override them.
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.Assign)
        ast.literal_eval(node.value)
    names = {n.targets[0].id for n in ast.parse(tagged[0].source).body}
    assert {"N_ACCOUNTS", "SEED", "WORKDIR"} <= names
    assert not any("os.environ" in c.source for c in book.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_default_output_folder_is_outside_the_checkout(path):
    book = nbformat.read(path, as_version=4)
    first = [c for c in book.cells if c.cell_type == "code"][:2]
    scope: dict = {}
    for cell in first:
        exec(cell.source, scope)  # the parameters and the folder they resolve to: no heavy work

    assert REPO not in Path(scope["WORKDIR"]).resolve().parents


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom(path, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    book = inject_parameters(nbformat.read(path, as_version=4), N_ACCOUNTS=N_ACCOUNTS,
                             WORKDIR=str(tmp_path / "work"))

    client = NotebookClient(book, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()

    errors = [out for cell in book.cells if cell.cell_type == "code" for out in cell.outputs
              if out.output_type == "error"]
    assert not errors
    images = [out for cell in book.cells if cell.cell_type == "code" for out in cell.outputs
              if "image/png" in out.get("data", {})]
    assert images, "the notebook shows no figure"
    assert (tmp_path / "work").is_dir()
    if path.stem == "01_quickstart":
        shown = next(out for cell in book.cells if cell.cell_type == "code" for out in cell.outputs
                     if "RunResult" in str(out.get("data", {}).get("text/plain", "")))
        assert "text/html" in shown["data"] and len(shown["data"]["text/plain"]) < 400
