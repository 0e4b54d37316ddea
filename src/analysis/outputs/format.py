"""What an output format is: a name, a file suffix, the packages its bytes depend on, and a render.

Why one small interface: the engine (analysis.build) writes, checks for freshness, cleans up after a
failure and links every format the same way, by looping over the registry (outputs.registry);
it never names a format. A format is rendered once per briefing, in the process that ran the
notebook, and returns bytes: the engine writes them (atomically) wherever the build runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar


@dataclass
class Briefing:
    """One briefing as its formats see it: the executed notebook and who it is about."""

    nb: Any  # the executed notebook (nbformat); None when a format is rendered ahead of it
    title: str
    lang: str
    code: str  # the province, resolved once by the build
    regime: str
    year: int
    clean_dir: str
    base_dir: Path  # the folder the files go to: relative links resolve there
    table: Callable[[], Any] | None = None  # the clean table, when the caller holds it already
    shared: dict[str, Any] = field(default_factory=dict)  # work formats share (the page, the print copy)

    def clean_table(self) -> Any:
        """The clean table (the caller's, else read once per file version in this process)."""
        if self.table is not None:
            return self.table()
        from analysis.briefing.contract import read_table

        return read_table(self.clean_dir)


class Format:
    """One output format. Subclasses set the class attributes and `render`; the rest is optional."""

    name: ClassVar[str]  # "html": the key of its bytes and its step name in failure reports
    suffix: ClassVar[str]  # ".html": the file beside the others, `<year>/<lang>/<slug><suffix>`
    label: ClassVar[str]  # "HTML": the link text on the index and overview pages
    packages: ClassVar[tuple[str, ...]] = ()  # their versions enter every briefing's rebuild key
    reads_notebook: ClassVar[bool] = True  # False: rendered from the clean table alone (may go ahead)

    def warm(self) -> None:
        """Load what the first render needs (called while the kernel works)."""

    def cell_done(self, cell: Any) -> None:
        """A cell of the notebook has finished (a format may begin work on its outputs)."""

    def render(self, briefing: Briefing) -> bytes:
        raise NotImplementedError

    def reset(self) -> None:
        """After each briefing, rendered or failed: drop what was begun for it."""

    def close(self) -> None:
        """The process is done with this format: remove its temporary files."""
