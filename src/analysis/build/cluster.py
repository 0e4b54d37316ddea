"""The Dask executor: briefings built on a Dask cluster (`analysis reports --scheduler tcp://HOST:8786`).

Why Dask distributed: a statistics office that rebuilds the national archive (every year, both
regimes, vi and en: about 2,600 briefings) has a cluster; Dask schedules, balances, and reruns the
tasks of a worker that is lost, so none of that is home-made here.

How: a worker plugin (`BriefingWorker`) keeps one warm kernel on every Dask worker, in a thread
of its own that lives as long as the worker (the kernel's parent-death signal follows the thread
that started it). The client ships the template notebook and the clean table with the plugin, so
a worker machine needs only this library installed (the same commit: `make setup`), not the
client's folders. Each briefing is one task; its files come back to the client as bytes, and the
client writes them atomically and updates the cache and index as for any executor. A briefing's
failure is its own Result; a task whose worker died is run again elsewhere by the scheduler (up
to its `allowed-failures`), and an error outside the briefing is retried once (`retries=1`).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from distributed import Client, as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from analysis.build import procs, publish
from analysis.build.executors import Hints
from analysis.build.jobs import BuildRequest, Job, Result
from analysis.errors import AnalysisError

PLUGIN = "cchc-briefings"


class _BuilderThread:
    """One Builder in one long-lived thread; `build` hands it a job and waits for the Result."""

    def __init__(self, notebook: bytes, figures: bytes, timeout: int | tuple[int, int]):
        self.notebook, self.figures, self.timeout = notebook, figures, timeout
        self.requests: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.clean_dir = ""
        self.thread = threading.Thread(target=self._main, name="cchc-builder", daemon=True)
        self.thread.start()

    def _main(self) -> None:
        from analysis.build.worker import Builder

        with procs.private_temp() as folder:
            builder = None
            try:
                (folder / "clean").mkdir()
                (folder / "clean" / "figures.parquet").write_bytes(self.figures)
                (folder / "briefing.ipynb").write_bytes(self.notebook)
                self.clean_dir = str(folder / "clean")
                builder = Builder.open(folder / "briefing.ipynb", self.timeout, self.clean_dir)
                builder.warm()
            except BaseException as exc:  # reported with every briefing sent here
                self.error = exc
            self.ready.set()
            try:
                while (item := self.requests.get()) is not None:
                    job, out_dir, reply = item
                    if builder is None:
                        error = f"{type(self.error).__name__}: {self.error}"[:500]
                        reply.put(Result(job, False, "worker", error, kind=publish.ENV))
                        continue
                    # The worker's own copy of the clean table; the Result names the client's job.
                    result = builder.build(replace(job, clean_dir=self.clean_dir), out_dir)
                    reply.put(replace(result, job=job))
            finally:
                if builder is not None:
                    builder.close()

    def build(self, job: Job, out_dir: str) -> Result:
        reply: queue.Queue = queue.Queue(maxsize=1)
        self.requests.put((job, out_dir, reply))
        return reply.get()

    def stop(self) -> None:
        self.requests.put(None)
        self.thread.join(timeout=60)


class BriefingWorker(WorkerPlugin):
    """On every Dask worker: a warm kernel and the formats, for the briefings sent there."""

    name = PLUGIN

    def __init__(self, notebook: bytes, figures: bytes, timeout: int | tuple[int, int]):
        self.notebook, self.figures, self.timeout = notebook, figures, timeout
        self.runner: _BuilderThread | None = None

    def setup(self, worker: Any) -> None:
        # The kernel starts in the plugin's own thread now and warms while tasks arrive.
        self.runner = _BuilderThread(self.notebook, self.figures, self.timeout)

    def teardown(self, worker: Any) -> None:
        if self.runner is not None:
            self.runner.stop()


def build_on_worker(job: Job, out_dir: str) -> Result:
    """The task: one briefing on this worker's warm kernel; its files travel back in the Result."""
    plugin = get_worker().plugins[PLUGIN]
    return plugin.runner.build(job, out_dir)


class DaskExecutor:
    """Briefings as tasks on the scheduler at `address`; results yielded as they complete."""

    def __init__(self, request: BuildRequest, address: str):
        self.request, self.address = request, address
        try:
            self.client = Client(address)  # waits distributed.comm.timeouts.connect (30 s)
        except (OSError, TimeoutError, ValueError) as exc:
            raise AnalysisError(f"--scheduler {address}: cannot reach the Dask scheduler ({exc})") from None
        self._registered = False

    def _register(self) -> None:
        """Ship the template and the clean table to every worker (present and future) with the plugin."""
        notebook = Path(self.request.notebook).read_bytes()
        figures = (Path(self.request.clean_dir) / "figures.parquet").read_bytes()
        plugin = BriefingWorker(notebook, figures, self.request.time_limits)
        self.client.register_plugin(plugin, name=PLUGIN)
        self._registered = True

    def submit(self, jobs: Sequence[Job], hints: Hints) -> Iterator[Result]:
        if not jobs:
            return
        if not self._registered:
            self._register()
        futures = {
            self.client.submit(
                build_on_worker,
                job,
                str(hints.out_dir),
                key=f"briefing-{job.rel}-{job.key[:16]}",
                pure=False,
                retries=1,
            ): job
            for job in jobs
        }
        try:
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    result = fut.result()
                except Exception as exc:  # the task failed beyond retries (e.g. workers kept dying):
                    # the machine's fault, not the briefing's (build.publish: its published files stay)
                    error = f"{type(exc).__name__}: {exc}"[:500]
                    result = Result(job, False, "worker", error, kind=publish.ENV)
                yield result
        except BaseException:  # Ctrl-C: nothing of ours may go on running on the cluster
            with contextlib.suppress(Exception):
                self.client.cancel(list(futures))
            raise

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self._registered:
                self.client.unregister_worker_plugin(PLUGIN)
        with contextlib.suppress(Exception):
            self.client.close()
