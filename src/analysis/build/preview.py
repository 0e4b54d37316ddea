"""`analysis preview` (`make preview`): one briefing, served locally and rebuilt on every change.

Like `quarto preview`: bring the clean data up to date with `data/raw/` (the clean stage skips
itself when nothing changed), build the briefing once on a warm kernel, serve it on a local port
(`preview_server`: the page reloads itself after each rebuild; only the server adds that script,
files on disk stay script-free), then poll the template notebook, the library (src/analysis), the
clean data and `data/raw/` for changes and rebuild, until Ctrl-C. A raw edit is cleaned first and
that file's rejects are printed in full. A failed build shows an error page (the cell as Jupyter
counts it, its section tag, the traceback), written over the preview's HTML too, never the last
good page.

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
from analysis.build.executors import one_briefing
from analysis.build.jobs import (
    BuildRequest,
    Job,
    Result,
    load_figures,
    make_job,
    output_path,
    read_figures_bytes,
    select,
)
from analysis.build.preview_server import PreviewServer, error_page, traceback_of
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

    def __init__(
        self,
        request: BuildRequest,
        library: Path = config.PACKAGE_DIR,
        pdf: bool = False,
        raw_dir: Path | None = None,
    ):
        if not one_briefing(request):
            raise AnalysisError("preview builds one briefing: give one province, one year and one language")
        self.request = replace(request, notebook=Path(request.notebook).resolve())
        if not self.request.notebook.exists():
            raise InputFileError(self.request.notebook, "template notebook missing")
        self.library, self.pdf = Path(library), pdf
        self.out_dir = Path(request.out_dir) / PREVIEW_DIR
        self.builder: Builder | None = None
        self.raw_dir = Path(raw_dir) if raw_dir is not None else None
        self.last: Result | None = None
        self.note = ""

    def watched(self) -> dict[str, list[Path]]:
        groups = {
            "notebook": [self.request.notebook],
            "library": [self.library],
            "data": [Path(self.request.clean_dir)],
        }
        if self.raw_dir is not None:
            groups["raw"] = [self.raw_dir]
        return groups

    def refresh_data(self, edited: set[str] = frozenset()) -> list[str]:
        """Clean data/raw into the clean folder if anything there changed (the clean stage's own
        check); lines to print: the counts, unreadable files, and each edited file's rejects in full."""
        from analysis.clean.report import reject_lines, up_to_date

        raw, clean = self.raw_dir, Path(self.request.clean_dir)
        if raw is None or not raw.is_dir() or up_to_date(raw, clean) is not None:
            return []
        from analysis.clean.stage import run_clean

        result = run_clean(raw, clean, quiet=True)
        t = result.manifest["totals"]
        lines = [f"cleaned {raw}: {t['kept']} rows kept, {t['rejected']} rejected"]
        lines += [f"UNREADABLE {name}: {why}" for name, why in result.unreadable]
        for name in sorted({Path(e).name for e in edited if Path(e).suffix != ".json"}):
            mine = result.rejects[result.rejects["file"].astype(str) == name]
            lines.append(f"{name}: {len(mine)} rejected row(s)" + (":" if len(mine) else ""))
            lines += reject_lines(mine, limit=50)
        return lines

    def job(self) -> Job:
        """The briefing, resolved again each time (the data may change the default year)."""
        path = Path(self.request.clean_dir) / "figures.parquet"
        df = load_figures(read_figures_bytes(self.request.clean_dir), path)
        sel = select(self.request, df)[0]
        self.note = sel.note  # 'Yên Bái → Lào Cai, 34 provinces from 2025-07-01', said once
        return make_job(sel.province, sel.year, self.request.langs[0], self._clean_dir(), sel.asked)

    def _clean_dir(self) -> str:
        return str(Path(self.request.clean_dir).resolve())

    def build(self) -> tuple[Job, bool, str]:
        """One build of the briefing on the warm kernel: (job, ok, message); `last` keeps the Result."""
        from analysis.writing import atomic_write

        if self.builder is None:
            formats = ("html", "pdf") if self.pdf else ("html",)
            self.builder = Builder.open(
                self.request.notebook, self.request.time_limits, self._clean_dir(), None, formats
            )
        job = self.job()
        result = self.builder.build(job, self.out_dir)
        self.last = result
        if not result.ok:
            return self._failed(job, result)
        with procs.BuildLock(self.out_dir, wait=True):
            for suffix, data in result.files.items():
                atomic_write(output_path(self.out_dir, job, suffix), data)
        return job, True, f"{output_path(self.out_dir, job, '.html')} ({result.seconds:.1f} s)"

    def _failed(self, job: Job, result: Result) -> tuple[Job, bool, str]:
        """The error page replaces the last good page, on disk too: a reload never hides a failure."""
        from analysis.writing import atomic_write

        with procs.BuildLock(self.out_dir, wait=True):
            html = output_path(self.out_dir, job, ".html")
            atomic_write(html, self.error_page(job.title, f"failed at {result.step}: {result.error}"))
        kept = f"\n  executed notebook: {result.notebook}" if result.notebook else ""
        return job, False, f"FAILED at {result.step}: {result.error}{kept}"

    def error_page(self, title: str, message: str) -> str:
        notebook = self.last.notebook if self.last is not None and not self.last.ok else ""
        return error_page(title, message, traceback_of(notebook), notebook)

    def apply(self, what: set[str]) -> None:
        """Prepare the builder for the changes: restart the kernel for library code, re-read the template."""
        assert self.builder is not None
        if "library" in what:
            from analysis.briefing import contract
            from analysis.build.runner import call_code

            self.builder.kernel.shutdown()
            self.builder.kernel.start(call_code(contract.warm_up, self._clean_dir()))
        if "notebook" in what:
            self.builder.reload_template(self.request.notebook)

    def close(self) -> None:
        if self.builder is not None:
            self.builder.close()
            self.builder = None


def run_preview(
    request: BuildRequest,
    interval: float = 0.5,
    pdf: bool = False,
    stop: threading.Event | None = None,
    say: Callable[[str], None] | None = None,
    raw_dir: Path | None = None,
    port: int | None = 0,
) -> int:
    """Clean if needed, build, serve (port None: no server), rebuild on each change until Ctrl-C."""
    say = say or (lambda msg: print(msg, flush=True))
    stop = stop or threading.Event()
    preview = Preview(request, pdf=pdf, raw_dir=raw_dir)
    server = PreviewServer(preview.out_dir, port).start() if port is not None else None
    procs.sweep_stale_temp()
    with procs.private_temp():
        try:
            for line in preview.refresh_data():
                say(line)
            _once(preview, server, say, "built ", "")
            if preview.note:
                say(preview.note)
            if server is not None:
                say(f"serving {server.url} (the page reloads itself after each rebuild)")
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
                edited = changed(state.get("raw", {}), now.get("raw", {}))
                state = now
                if "raw" in what:
                    for line in preview.refresh_data(edited):
                        say(line)
                    state["data"] = snapshot(groups["data"])  # the clean just written: not a second change
                if not _apply_when_valid(preview, what, interval, say):
                    continue
                _once(preview, server, say, f"rebuilt ({', '.join(sorted(what))} changed): ", "not rebuilt")
        except KeyboardInterrupt:
            print("preview stopped", file=sys.stderr)
        finally:
            preview.close()
            if server is not None:
                server.close()
    return 0


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


def _once(
    preview: Preview, server: PreviewServer | None, say: Callable[[str], None], ok_head: str, bad: str
) -> None:
    """One build, said and shown: the page, or an error page (also for a refusal before the build)."""
    try:
        job, ok, message = preview.build()
    except AnalysisError as exc:  # e.g. the data being rewritten, a year or name refused
        say(f"{bad or 'not built'}: {exc}")
        if server is not None:
            server.show(server.page or "index.html", error_page("the briefing could not be built", str(exc)))
        return
    say(ok_head + message if ok else message)
    if server is not None:
        server.show(job.rel + ".html")
