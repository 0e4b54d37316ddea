"""Processes that end with their parent, private temporary folders, and one build per output folder.

Why: a build starts worker processes and each worker a Jupyter kernel. Killed with SIGKILL, the
parent can clean up nothing itself, so every child is told by the kernel (Linux `prctl`
PR_SET_PDEATHSIG) to end when its parent ends, and workers also poll their parent's pid (the
portable fallback). Temporary files (WeasyPrint's font folder, kernel connection files) go into one
private folder per process, removed when that process ends; folders of processes that were killed
outright are swept at the next build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from analysis.errors import AnalysisError

PR_SET_PDEATHSIG = 1
TEMP_PREFIX = "cchc-build-"
LOCK_NAME = ".build.lock"

_libc: ctypes.CDLL | None = None
if sys.platform.startswith("linux"):
    with contextlib.suppress(OSError):
        _libc = ctypes.CDLL(None, use_errno=True)  # loaded before any fork: preexec_fn must not dlopen


def set_parent_death_signal(sig: int = signal.SIGTERM) -> bool:
    """Ask Linux to send `sig` to this process when its parent thread ends; False where unsupported."""
    if _libc is None:
        return False
    return _libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0


def kernel_preexec() -> None:
    """`preexec_fn` for kernel processes: SIGKILL when the process that started them ends."""
    set_parent_death_signal(signal.SIGKILL)


def watch_parent(parent_pid: int, on_orphan: Callable[[], None], interval: float = 0.5) -> threading.Thread:
    """Call `on_orphan` once the parent has gone (where no death signal exists, or it was missed)."""

    def loop() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        on_orphan()

    thread = threading.Thread(target=loop, name="watch-parent", daemon=True)
    thread.start()
    return thread


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_temp(root: Path | None = None) -> None:
    """Remove private temp folders whose process no longer exists (it was killed before cleaning)."""
    root = Path(root or tempfile.gettempdir())
    for path in root.glob(f"{TEMP_PREFIX}*"):
        pid = path.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """In the build's own process: SIGTERM stops the build like Ctrl-C (clean-up runs, lock released)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_ENV_KEYS = ("TMPDIR", "JUPYTER_RUNTIME_DIR")


@contextlib.contextmanager
def private_temp() -> Iterator[Path]:
    """Route this process's (and its kernels') temporary files into one folder, removed at the end."""
    base = tempfile.gettempdir()
    path = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=base))
    saved = {key: os.environ.get(key) for key in _ENV_KEYS}
    saved_tempdir = tempfile.tempdir
    os.environ.update(TMPDIR=str(path), JUPYTER_RUNTIME_DIR=str(path))
    tempfile.tempdir = str(path)
    try:
        yield path
    finally:
        tempfile.tempdir = saved_tempdir
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for _ in range(3):  # a kernel killed a moment ago may still drop a file while we remove
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                break
            time.sleep(0.05)


class BuildBusyError(AnalysisError):
    """Another build holds the output folder's lock (only with wait=False)."""

    def __init__(self, out_dir: Path, holder: str):
        self.out_dir, self.holder = str(out_dir), holder
        super().__init__(f"{out_dir}: another build is writing here ({holder}); try again when it ends")


class BuildLock:
    """An exclusive `flock` on `<out_dir>/.build.lock`: one build per output folder at a time.

    The kernel releases the lock when the holder ends, however it ends (even SIGKILL), so a stale
    lock cannot block the next build. A second build waits (saying who holds the lock) unless
    `wait` is False, then it stops with BuildBusyError.
    """

    def __init__(self, out_dir: Path, wait: bool = True, say: Callable[[str], None] | None = None):
        self.path = Path(out_dir) / LOCK_NAME
        self.wait = wait
        self.say = say or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self._fd: int | None = None

    def _holder(self) -> str:
        try:
            text = self.path.read_text(encoding="utf-8").strip()
        except OSError:
            text = ""
        return text or "unknown process"

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if not self.wait:
                    raise BuildBusyError(self.path.parent, self._holder()) from None
                self.say(f"waiting: another build is writing into {self.path.parent} ({self._holder()})")
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, since {time.strftime('%H:%M:%S')}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
