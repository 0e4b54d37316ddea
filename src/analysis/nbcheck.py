"""Lint: committed notebooks carry no outputs, so diffs stay reviewable and no data leaks into git.

`python -m analysis.nbcheck notebooks` exits 1 naming each notebook and cell that has outputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def problems(path: Path) -> list[str]:
    """Cells of one notebook that carry outputs or execution counts."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("outputs"):
            found.append(f"{path}: cell {i} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"{path}: cell {i} has an execution count")
    return found


def main(argv: list[str] | None = None) -> int:
    folders = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or [Path("notebooks")]
    found = [
        p
        for folder in folders
        for nb in sorted(folder.rglob("*.ipynb"))
        for p in problems(nb)
        if ".ipynb_checkpoints" not in nb.parts
    ]
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print("clear them: jupyter nbconvert --clear-output --inplace notebooks/*.ipynb", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
