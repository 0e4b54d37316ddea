"""The Dask executor: a build on a LocalCluster (two worker processes) writes the same briefings as
the pool, isolates a failing briefing, and reruns the briefing of a worker that died."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis.build.build import run_reports
from analysis.build.jobs import BuildRequest
from build_helpers import notebook, write_figures
from pdf_pages import render_page

pytestmark = pytest.mark.slow
distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed (`make setup`)")

FIGURE = """\
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.display import HTML, display
fig, ax = plt.subplots(figsize=(3, 2))
ax.bar(["a", "b"], [value, 50])
display(fig)
plt.close(fig)
display(HTML('<h2>Bảng</h2><table><tr><th>Chỉ số</th><th class="num">Giá trị</th></tr>'
             f'<tr><td>PCI</td><td class="num">{value}</td></tr></table>'))"""
# Kills the Dask worker running it (the kernel's parent) the first time, for one province.
KILL_WORKER_ONCE = """\
import os, signal
from pathlib import Path
marker = Path({marker!r})
if province == "Lào Cai" and not marker.exists():
    marker.write_text(str(os.getppid()))
    os.kill(os.getppid(), signal.SIGKILL)"""
FAIL_ONE = 'if province == "Nghệ An":\n    raise ValueError("no data for Nghệ An")'


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


def _request(tmp_path: Path, nb: Path, out: str, jobs: int = 2) -> BuildRequest:
    clean = tmp_path / "clean"
    return BuildRequest.from_cli(
        "Nghệ An,Lào Cai", "2018", "vi,en", jobs, True, clean, tmp_path / out, notebook=nb, progress=False
    )


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.glob("2018/*/*.*"))}


def test_a_dask_build_writes_the_same_briefings_as_the_pool(tmp_path, cluster):
    write_figures(tmp_path / "clean")
    nb = notebook(tmp_path / "t.ipynb", FIGURE)
    assert run_reports(_request(tmp_path, nb, "pool")) == 0
    assert run_reports(_request(tmp_path, nb, "dask"), scheduler=cluster.scheduler_address) == 0
    pool, dask = _files(tmp_path / "pool"), _files(tmp_path / "dask")
    suffixes = {".html", ".pdf", ".csv", ".docx"}
    assert {Path(k).suffix for k in pool} == suffixes and len(pool) == 2 * 2 * 4 + 2  # + both overviews
    assert pool.keys() == dask.keys()
    for name, data in pool.items():
        if name.endswith(".pdf"):
            # The embedded font subset depends on what the process printed before (WeasyPrint's
            # font cache), so PDFs are compared as their readers see them: every page's pixels.
            n = len(PdfReader(io.BytesIO(data)).pages)
            assert n == len(PdfReader(io.BytesIO(dask[name])).pages), name
            for page in range(1, n + 1):
                assert render_page(data, page, 50) == render_page(dask[name], page, 50), (name, page)
        else:
            assert dask[name] == data, name
    caches = [json.loads((tmp_path / d / ".build-cache.json").read_text()) for d in ("pool", "dask")]
    for cache in caches:
        for entry in cache["entries"].values():
            entry.pop("built_at")  # the only difference: when each was built
    assert caches[0] == caches[1]
    assert not list((tmp_path / "dask").rglob("*.part"))


def test_a_failing_briefing_fails_alone_and_a_lost_workers_briefing_is_built_again(tmp_path, cluster, capsys):
    write_figures(tmp_path / "clean")
    killed = tmp_path / "killed-once"  # the workers run on their own copy of the clean folder
    nb = notebook(tmp_path / "t.ipynb", KILL_WORKER_ONCE.format(marker=str(killed)), FAIL_ONE)
    code = run_reports(_request(tmp_path, nb, "out"), scheduler=cluster.scheduler_address)
    assert code == 1
    err = capsys.readouterr().err
    assert "ValueError: no data for Nghệ An" in err and "failed 2" in err  # vi and en of Nghệ An
    out = tmp_path / "out"
    assert killed.exists() and int(killed.read_text()) != os.getpid()  # a worker was killed mid-briefing
    built = sorted(p.relative_to(out).as_posix() for p in out.glob("2018/*/lao-cai.*"))
    assert built == [
        f"2018/{lang}/lao-cai.{s}" for lang in ("en", "vi") for s in ("csv", "docx", "html", "pdf")
    ]
    assert not list(out.glob("2018/*/nghe-an.*"))
    cluster.wait_for_workers(2, timeout=60)  # the nanny brought the lost worker back


def test_an_unreachable_scheduler_is_one_line_naming_it(tmp_path, capsys, monkeypatch):
    import dask

    from analysis.cli import main

    write_figures(tmp_path / "clean")
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:9")  # the discard port: nobody listens
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        code = main(["reports", "--clean", str(tmp_path / "clean"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "tcp://127.0.0.1:9" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
