"""Lint: committed notebooks carry no outputs and are saved as Jupyter saves them.

No outputs, so diffs stay reviewable and no data leaks into git (the nbstripout git filter that
`make setup` installs strips them on commit; this check catches a checkout without the filter).
Saved in nbformat's own order (what Jupyter writes), so opening and saving the template in Jupyter
changes only the cells that were edited. `notebooks/explore/` is scratch space and is not checked.

`python -m analysis.nbcheck notebooks` exits 1 naming each notebook and cell that fails;
`python -m analysis.nbcheck --fix notebooks` clears outputs and rewrites them in nbformat's order.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXPLORE = "explore"  # notebooks/explore/: exploratory work, ignored by git and by this check


def as_jupyter_saves(text: str) -> str:
    """The notebook text as nbformat (and so Jupyter) writes it."""
    import nbformat

    return nbformat.writes(nbformat.reads(text, as_version=nbformat.NO_CONVERT)) + "\n"


def problems(path: Path) -> list[str]:
    """Cells of one notebook that carry outputs or execution counts; a file not in nbformat's order."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    found = []
    for i, cell in enumerate(nb.get("cells", []), 1):
        if cell.get("outputs"):
            found.append(f"{path}: cell {i} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"{path}: cell {i} has an execution count")
    if not found and as_jupyter_saves(text) != text:
        found.append(f"{path}: not saved as Jupyter saves it (key order, indent or final newline)")
    return found


def checked(folder: Path) -> list[Path]:
    """The notebooks under `folder` that are checked (not checkpoints, not notebooks/explore/)."""
    return [
        nb
        for nb in sorted(folder.rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in nb.parts and EXPLORE not in nb.relative_to(folder).parts
    ]


def fix(path: Path) -> None:
    """Clear outputs and execution counts, and write the notebook as Jupyter saves it."""
    import nbformat

    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, path)


def main(argv: list[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    repair = "--fix" in args
    folders = [Path(a) for a in args if a != "--fix"] or [Path("notebooks")]
    if repair:
        for folder in folders:
            for nb in checked(folder):
                if problems(nb):
                    fix(nb)
                    print(f"fixed {nb}", file=sys.stderr)
    found = [p for folder in folders for nb in checked(folder) for p in problems(nb)]
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(
            "fix: .venv/bin/python -m analysis.nbcheck --fix notebooks (no outputs, Jupyter's key order)",
            file=sys.stderr,
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
