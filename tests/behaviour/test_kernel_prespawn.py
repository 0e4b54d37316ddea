"""A kernel started before jupyter_client (build.prespawn) is the one the briefing runs on, and
only when jupyter_client would have started that same kernel; no process or file is left behind."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis.build import batch_kernel, prespawn
from analysis.build.runner import WarmKernel

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the head start is POSIX-only")


def _nb(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def _stream(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def _gone(process: subprocess.Popen) -> bool:
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        return False
    return True


def test_spawn_starts_the_native_kernel_from_a_private_connection_file(tmp_path):
    early = prespawn.spawn(tmp_path)
    assert early is not None
    try:
        assert early.cmd == [sys.executable, "-m", batch_kernel.MODULE, "-f", early.connection_file]
        assert early.process.poll() is None and early.cwd == str(tmp_path)
        mode = stat.S_IMODE(os.stat(early.connection_file).st_mode)
        assert mode & 0o077 == 0  # the key is readable by its owner only
        ports = [early.info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
        assert len(set(ports)) == 5 and all(p > 0 for p in ports)
        assert early.env["JPY_PARENT_PID"] == str(os.getpid())
    finally:
        early.discard()
    assert _gone(early.process) and not Path(early.connection_file).exists()


def test_the_switch_turns_the_head_start_off(tmp_path, monkeypatch):
    monkeypatch.setattr(prespawn, "PRESPAWN", False)
    assert prespawn.spawn(tmp_path) is None


def test_a_different_launch_is_not_matched(tmp_path):
    early = prespawn.spawn(tmp_path)
    assert early is not None
    try:
        theirs = "/elsewhere/kernel-1.json"
        cmd = [a if a != early.connection_file else theirs for a in early.cmd]
        env = {k: v for k, v in early.env.items() if k != "JPY_PARENT_PID"}
        assert early.matches(cmd, env, tmp_path, theirs)
        assert not early.matches(cmd, env | {"EXTRA": "1"}, tmp_path, theirs)  # environment changed since
        assert not early.matches(cmd, env, tmp_path / "other", theirs)  # another folder
        assert not early.matches([*cmd, "--debug"], env, tmp_path, theirs)  # another command
    finally:
        early.discard()


def test_the_warm_kernel_adopts_the_early_process_and_runs_on_it(tmp_path):
    early = prespawn.spawn(tmp_path)
    assert early is not None
    kernel = WarmKernel(tmp_path, timeout=120)
    try:
        kernel.start("import os as _os\n", prespawned=early)
        assert kernel.pid == early.process.pid  # no second kernel was launched
        nb = kernel.run(_nb("import os\nprint(os.getpid(), os.getcwd())"))
        pid, cwd = _stream(nb).split()
        assert int(pid) == early.process.pid and Path(cwd) == tmp_path.resolve()
        assert not Path(early.connection_file).exists()  # read by the kernel, then removed
        nb = kernel.run(_nb("print(40 + 2)"))  # the warm kernel goes on as usual
        assert _stream(nb).strip() == "42"
    finally:
        kernel.shutdown()
    assert _gone(early.process)


def test_an_early_process_that_does_not_match_is_ended_and_a_kernel_launched(tmp_path, monkeypatch):
    early = prespawn.spawn(tmp_path)
    assert early is not None
    monkeypatch.setenv("CCHC_TEST_CHANGED_AFTER_SPAWN", "1")  # jupyter_client's launch now differs
    kernel = WarmKernel(tmp_path, timeout=120)
    try:
        kernel.start("pass\n", prespawned=early)
        assert _gone(early.process) and not Path(early.connection_file).exists()
        assert kernel.pid is not None and kernel.pid != early.process.pid
        nb = kernel.run(_nb("import os\nprint(os.environ.get('CCHC_TEST_CHANGED_AFTER_SPAWN'))"))
        assert _stream(nb).strip() == "1"
    finally:
        kernel.shutdown()


def test_an_early_process_started_in_another_folder_is_ended(tmp_path):
    early = prespawn.spawn(tmp_path)
    assert early is not None
    kernel = WarmKernel(tmp_path / "elsewhere", timeout=120)  # another folder: not adopted
    (tmp_path / "elsewhere").mkdir()
    try:
        kernel.start("pass\n", prespawned=early)
        assert _gone(early.process)
        assert kernel.pid != early.process.pid
    finally:
        kernel.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize("force", [True, False], ids=["forced-speculative", "not-forced-local"])
def test_one_briefing_runs_on_the_kernel_started_first(tmp_path, monkeypatch, force):
    from jupyter_client.provisioning import LocalProvisioner

    from analysis.build import build
    from analysis.build.jobs import BuildRequest
    from build_helpers import kernels, notebook, write_figures

    spawned: list[prespawn.Prespawned] = []
    real_spawn = prespawn.spawn

    def spy(cwd, *args):
        early = real_spawn(cwd, *args)
        spawned.append(early)
        return early

    launched: list[list[str]] = []
    real_launch = LocalProvisioner.launch_kernel

    async def counted(self, cmd, **kwargs):
        launched.append(cmd)
        return await real_launch(self, cmd, **kwargs)

    monkeypatch.setattr(prespawn, "spawn", spy)
    monkeypatch.setattr(LocalProvisioner, "launch_kernel", counted)
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    nb = notebook(tmp_path / "nb.ipynb")
    req = BuildRequest.from_cli("nghe an", "2018", "vi", 0, force, clean, out, notebook=nb, progress=False)
    assert build.run_reports(req) == 0
    assert (out / "2018/vi/nghe-an.pdf").exists()
    assert len(spawned) == 1 and spawned[0] is not None
    assert launched == []  # jupyter_client launched no kernel of its own: it adopted the early one
    assert _gone(spawned[0].process) and not Path(spawned[0].connection_file).exists()
    assert kernels(os.getpid()) == []


def test_the_build_kernel_runs_without_a_debugger_and_the_switch_restores_the_standard_one(
    tmp_path, monkeypatch
):
    probe = _nb(
        "import sys, ipykernel.debugger as d\n"
        "print(sys.argv[0].endswith('batch_kernel.py'), d._is_debugpy_available,\n"
        "      sys.modules.get('debugpy') is None)"
    )
    kernel = WarmKernel(tmp_path, timeout=120)
    try:
        kernel.start("pass\n")
        assert _stream(kernel.run(probe)).split() == ["True", "False", "True"]
    finally:
        kernel.shutdown()
    monkeypatch.setattr(batch_kernel, "ENABLED", False)
    kernel = WarmKernel(tmp_path, timeout=120)
    try:
        kernel.start("pass\n")
        assert _stream(kernel.run(probe)).split()[0] == "False"  # ipykernel_launcher's own kernel
    finally:
        kernel.shutdown()
