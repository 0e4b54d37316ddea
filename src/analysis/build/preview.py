"""`analysis preview` (`make preview`): one briefing, rebuilt on every change with a warm kernel.

Like `quarto preview`: build the briefing once, print the path of its HTML, then poll the
template notebook, the library (src/analysis) and the clean data for changes and rebuild, until
Ctrl-C. The kernel stays warm between rebuilds, so a rebuild costs the notebook's own work and
the HTML export (about a second or two), not a kernel start and the imports.

A library change restarts the kernel (a fresh interpreter imports the changed modules; reloading
modules in place can keep stale objects alive); a notebook change re-reads the template; a data
change is picked up by the notebook itself. Preview writes HTML only (`--pdf` adds the PDF) into
`<out>/.preview/`, so it never touches the build's briefings, cache or index.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from analysis import config
from analysis.build import procs
from analysis.build.jobs import BuildRequest, Job, load_figures, output_paths, read_figures_bytes, select
from analysis.build.worker import Builder
from analysis.errors import AnalysisError, InputFileError

PREVIEW_DIR = ".preview"


def snapshot(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under `paths` (source caches excluded)."""
    seen: dict[str, tuple[int, int]] = {}
    for root in paths:
        files = [root] if root.is_file() else root.rglob("*") if root.is_dir() else []
        for path in files:
            if "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"} or path.name.startswith(".#"):
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            if path.is_file():
                seen[str(path)] = (st.st_mtime_ns, st.st_size)
    return seen


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


class Preview:
    """The state of one preview session: the request, the warm builder and what is watched."""

    def __init__(self, request: BuildRequest, library: Path = config.PACKAGE_DIR, pdf: bool = False):
        if len(request.provinces) != 1 or len(request.years) > 1 or len(request.langs) != 1:
            raise AnalysisError("preview builds one briefing: give one province, one year and one language")
        self.request = replace(request, notebook=Path(request.notebook).resolve())
        if not self.request.notebook.exists():
            raise InputFileError(self.request.notebook, "template notebook missing")
        self.library, self.pdf = Path(library), pdf
        self.out_dir = Path(request.out_dir) / PREVIEW_DIR
        self.builder: Builder | None = None

    def watched(self) -> dict[str, list[Path]]:
        return {
            "notebook": [self.request.notebook],
            "library": [self.library],
            "data": [Path(self.request.clean_dir)],
        }

    def job(self) -> Job:
        """The briefing, resolved again each time (the data may change the default year)."""
        path = Path(self.request.clean_dir) / "figures.parquet"
        df = load_figures(read_figures_bytes(self.request.clean_dir), path)
        sel = select(self.request, df)[0]
        p = sel.province
        clean = str(Path(self.request.clean_dir).resolve())
        return Job(p.name, p.code, p.slug, p.regime, sel.year, self.request.langs[0], "", clean, sel.asked)

    def _clean_dir(self) -> str:
        return str(Path(self.request.clean_dir).resolve())

    def build(self) -> tuple[Job, bool, str]:
        """One build of the briefing on the warm kernel: (job, ok, message)."""
        if self.builder is None:
            self.builder = Builder.open(self.request.notebook, self.request.timeout, self._clean_dir())
        job = self.job()
        with procs.BuildLock(self.out_dir, wait=True):
            result = self.builder.build(job, self.out_dir, pdf=self.pdf)
        html = output_paths(self.out_dir, job)[0]
        if result.ok:
            return job, True, f"{html} ({result.seconds:.1f} s)"
        return job, False, f"FAILED at {result.step}: {result.error}"

    def apply(self, what: set[str]) -> None:
        """Prepare the builder for the changes: restart the kernel for library code, re-read the template."""
        assert self.builder is not None
        if "library" in what:
            from analysis.build.runner import warm_code

            self.builder.kernel.shutdown()
            self.builder.kernel.start(warm_code(self.builder.template, self._clean_dir()))
        if "notebook" in what:
            self.builder.reload_template(self.request.notebook)
            if "library" not in what:
                from analysis.build.runner import warm_code

                self.builder.kernel.warm_code = warm_code(self.builder.template, self._clean_dir())

    def close(self) -> None:
        if self.builder is not None:
            self.builder.close()
            self.builder = None


def _apply_when_valid(preview: Preview, what: set[str], interval: float, say: Callable[[str], None]) -> bool:
    """Apply the changes; a notebook caught between an editor's two writes (not valid JSON yet) is
    read again after a short wait, and if it is still not valid the preview says so and waits for
    the next save instead of ending with a traceback."""
    for attempt in range(3):
        try:
            preview.apply(what)
            return True
        except Exception as exc:  # nbformat's NotJSONError, a validation error, a file being replaced
            if attempt < 2:
                time.sleep(max(interval, 0.3))
                continue
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
            name = preview.request.notebook.name
            say(f"not rebuilt: {name} is not a valid notebook yet ({reason}); waiting for the next save")
    return False


def run_preview(
    request: BuildRequest,
    interval: float = 0.5,
    pdf: bool = False,
    stop: threading.Event | None = None,
    say: Callable[[str], None] | None = None,
) -> int:
    """Build, print the HTML path, rebuild on each change until Ctrl-C (or `stop` is set)."""
    say = say or (lambda msg: print(msg, flush=True))
    stop = stop or threading.Event()
    preview = Preview(request, pdf=pdf)
    procs.sweep_stale_temp()
    with procs.private_temp():
        try:
            _, ok, message = preview.build()
            say(("built " if ok else "") + message)
            groups = preview.watched()
            state = {name: snapshot(paths) for name, paths in groups.items()}
            say(f"watching {', '.join(str(p) for ps in groups.values() for p in ps)} (Ctrl-C to stop)")
            while not stop.wait(interval):
                now = {name: snapshot(paths) for name, paths in groups.items()}
                what = {name for name in groups if changed(state[name], now[name])}
                if not what:
                    continue
                time.sleep(0.1)  # let an editor finish writing
                now = {name: snapshot(paths) for name, paths in groups.items()}
                state = now
                if not _apply_when_valid(preview, what, interval, say):
                    continue
                try:
                    _, ok, message = preview.build()
                except AnalysisError as exc:  # e.g. data being rewritten: wait for the next change
                    say(f"not rebuilt ({', '.join(sorted(what))} changed): {exc}")
                    continue
                say(f"rebuilt ({', '.join(sorted(what))} changed): {message}" if ok else message)
        except KeyboardInterrupt:
            print("preview stopped", file=sys.stderr)
        finally:
            preview.close()
    return 0
