"""config says where it anchored the project: CCHC_ROOT, the checkout, or (with a warning) the CWD."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from analysis import config

SHOW = "import config as c; print(c.ROOT_SOURCE); print(c.ROOT)"


def _run(code: str, cwd, env_root: str | None = None, path=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CCHC_ROOT"}
    if env_root is not None:
        env["CCHC_ROOT"] = env_root
    if path is not None:
        env["PYTHONPATH"] = str(path)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


def test_in_a_checkout_the_root_is_the_checkout():
    assert config.ROOT_SOURCE in {"checkout", "CCHC_ROOT"}
    if config.ROOT_SOURCE == "checkout":
        assert (config.ROOT / "Makefile").exists() and config.CLEAN_DIR == config.ROOT / "data" / "clean"


def test_cchc_root_wins(tmp_path):
    out = _run(
        "from analysis import config as c; print(c.ROOT_SOURCE); print(c.CLEAN_DIR)", tmp_path, str(tmp_path)
    )
    assert out.returncode == 0, out.stderr
    source, clean = out.stdout.split()
    assert source == "CCHC_ROOT" and clean == str(tmp_path.resolve() / "data" / "clean")


def test_outside_a_checkout_it_says_it_fell_back_to_the_working_directory(tmp_path):
    # a copy of the module alone, as an installed package outside any checkout would find itself
    lib = tmp_path / "site" / "pkg"
    lib.mkdir(parents=True)
    shutil.copy(config.PACKAGE_DIR / "config.py", lib / "config.py")
    work = tmp_path / "work"
    work.mkdir()
    out = _run(SHOW, work, path=lib)
    assert out.returncode == 0, out.stderr
    source, root = out.stdout.split()
    assert source == "cwd" and root == str(work.resolve())
    assert "CCHC_ROOT is not set" in out.stderr and str(work) in out.stderr
