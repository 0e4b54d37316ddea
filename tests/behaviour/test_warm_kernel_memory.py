"""The warm kernel's lean reset (build.runner.LEAN_RESET): no full garbage collection between
briefings, yet the collector stays on and a long run's memory stays bounded.

A briefing that builds reference cycles (a figure and its axes, a frame and its cached slices) leaves
them to the automatic collector; one that turns the collector off does not turn it off for the next.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from analysis.build.runner import LEAN_RESET, WarmKernel

MB = 2**20
# A cycle holding 8 MB of written bytes (pages touched, so they count in the kernel's RSS).
CYCLE = (
    "class Node:\n    pass\na, b = Node(), Node()\na.other, b.other = b, a\na.payload = b'x' * (8 * 2**20)\n"
)


def _nb(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def _rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024


def _stream(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


@pytest.fixture
def kernel(tmp_path):
    k = WarmKernel(tmp_path, timeout=120)
    k.start()
    yield k
    k.shutdown()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the kernel's RSS from /proc")
def test_cycles_left_by_briefings_are_collected_and_memory_stays_bounded(kernel):
    assert LEAN_RESET, "this test covers the lean reset; with the switch off %reset -f collects"
    kernel.run(_nb("x = 1"))
    base = _rss(kernel.pid)
    for _ in range(25):  # 200 MB of cycles if nothing collected them
        kernel.run(_nb(CYCLE, "del a, b"))
    grown = _rss(kernel.pid) - base
    assert grown < 80 * MB, f"the kernel grew {grown // MB} MB over 25 briefings of 8 MB cycles"


def test_a_briefing_that_turns_the_collector_off_leaves_it_on_for_the_next(kernel):
    kernel.run(_nb("import gc\ngc.disable()\nsecret = 42"))
    after = kernel.run(_nb("import gc\nprint(gc.isenabled(), 'secret' in globals())"))
    assert _stream(after).split() == ["True", "False"]
