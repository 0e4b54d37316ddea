"""A kernel process started before jupyter_client is imported: the one-briefing build's head start.

On the analyst's loop (one briefing, from nothing) the kernel's start, about 1.2 s of imports, is
the longest step, and nothing of the briefing can run before it. Importing jupyter_client and
finding the kernel spec take another 0.15 s in front of it. So the speculative executor starts the
native Python kernel here, with the standard library alone, from a connection file written here,
as soon as it knows the briefing; the runner's kernel manager then adopts the process, but only
when its own launch command, environment and folder turn out exactly those used here. Otherwise
the process is ended and the manager launches its own (runner.WarmKernel), so the kernel a
briefing runs on is the one jupyter_client would have started, only sooner.

Switch: PRESPAWN = False (every kernel is then launched by jupyter_client, as before).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.build import batch_kernel, procs

PRESPAWN = True

_PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")


def kernel_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment jupyter_client gives a local Python kernel started from `environ`
    (its provisioner drops PYDEVD_USE_FRAME_EVAL; its launcher names the parent process)."""
    env = dict(environ)
    env.pop("PYDEVD_USE_FRAME_EVAL", None)
    env["JPY_PARENT_PID"] = str(os.getpid())
    return env


@dataclass
class Prespawned:
    """A running kernel process and the connection it reads; adopted once, or discarded."""

    process: subprocess.Popen[bytes]
    connection_file: str
    info: dict[str, Any]  # ports, ip, key, transport, signature scheme: what the manager loads
    cmd: list[str]
    env: dict[str, str] = field(repr=False)
    cwd: str

    def matches(self, cmd: Sequence[str], env: Mapping[str, str] | None, cwd: Any, their_file: str) -> bool:
        """Whether jupyter_client's own launch (`cmd` naming `their_file`, `env`, `cwd`) would
        start the same kernel as this one, which still runs."""
        ours = [self.connection_file if arg == their_file else arg for arg in cmd]
        return (
            ours == self.cmd
            and kernel_env(os.environ if env is None else env) == self.env
            and str(cwd) == self.cwd
            and self.process.poll() is None
        )

    def forget_file(self) -> None:
        """Remove the connection file (the kernel has read it; the manager keeps its own copy)."""
        with contextlib.suppress(OSError):
            os.unlink(self.connection_file)

    def discard(self) -> None:
        """End the process now and remove its file (the manager launches its own kernel)."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        self.forget_file()


def _free_ports(ip: str, n: int) -> list[int]:
    """`n` distinct free TCP ports on `ip` (bound to port 0 together, then released, as
    jupyter_client does: a port taken in between makes the kernel fail to start, not misroute)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\0" * 8)
            s.bind((ip, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def spawn(cwd: str | os.PathLike[str]) -> Prespawned | None:
    """Start the build's kernel (build.batch_kernel) in `cwd` now; None where switched off, on
    other systems than POSIX, or if anything fails (jupyter_client then launches it as usual)."""
    if not PRESPAWN or os.name != "posix":
        return None
    path = ""
    try:
        ip = "127.0.0.1"
        info: dict[str, Any] = dict(zip(_PORTS, _free_ports(ip, len(_PORTS)), strict=True))
        info |= {
            "ip": ip,
            "key": str(uuid.uuid4()),
            "transport": "tcp",
            "signature_scheme": "hmac-sha256",
            "kernel_name": batch_kernel.kernel_name(),
        }
        fd, path = tempfile.mkstemp(prefix="kernel-cchc-", suffix=".json")  # private: mode 0600
        with os.fdopen(fd, "w") as f:
            json.dump(info, f)
        cmd = batch_kernel.argv(path)
        env = kernel_env(os.environ)
        process = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=str(cwd),
            start_new_session=True,
            preexec_fn=procs.kernel_preexec,
        )
        if process.stdin is not None:
            process.stdin.close()
        return Prespawned(process, path, info, cmd, env, str(cwd))
    except (OSError, ValueError):
        if path:
            with contextlib.suppress(OSError):
                os.unlink(path)
        return None


def adopting_manager(early: Prespawned, manager_kwargs: Mapping[str, Any]) -> Any:
    """A jupyter_client AsyncKernelManager (made with `manager_kwargs`) connected as `early`'s
    connection file says, which adopts `early` as its kernel process when its own launch would
    have started the same kernel, and otherwise ends it and launches its own."""
    km = _adopting_class()(**manager_kwargs, cache_ports=False)  # keep the ports loaded here
    km.load_connection_info(early.info)
    km.prespawned = early
    return km


@functools.cache
def _adopting_class() -> type:
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    class AdoptingKernelManager(AsyncKernelManager):  # type: ignore[misc]
        prespawned: Prespawned | None = None

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            early, self.prespawned = self.prespawned, None
            prov = self.provisioner
            if early is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            same = early.matches(kernel_cmd, kw.get("env"), kw.get("cwd"), self.connection_file)
            if not isinstance(prov, LocalProvisioner) or not same:
                early.discard()
                return await super()._async_launch_kernel(kernel_cmd, **kw)

            async def adopt(cmd: list[str], **kwargs: Any) -> Any:  # what LocalProvisioner's launch returns
                prov.process, prov.pid = early.process, early.process.pid
                prov.pgid = os.getpgid(early.process.pid)
                prov.cwd = kwargs.get("cwd", early.cwd)
                return prov.connection_info

            prov.launch_kernel = adopt  # this launch only; the base class does the rest as usual
            try:
                await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                del prov.launch_kernel

    return AdoptingKernelManager
