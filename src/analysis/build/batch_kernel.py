"""The build's kernel: IPython's kernel as `python -m ipykernel_launcher` starts it, without a debugger.

A kernel that runs notebooks for the build is never attached to a debugger, yet ipykernel imports
debugpy as it starts whenever debugpy is installed (it is one of ipykernel's requirements): about
0.04 s of CPU in every kernel, on the one-briefing build's critical path. Here debugpy is made
unimportable in this process only, which ipykernel takes as "no debugger available". The kernel
spec is made in code, so the build also skips searching the Jupyter folders for one. Analysts'
Jupyter kernels (`make setup` registers one) are not this one.

Run as `python -m analysis.build.batch_kernel -f CONNECTION_FILE`. Switch: ENABLED = False (the
build then runs the standard `python3` kernel spec).
"""

from __future__ import annotations

import functools
import sys
from typing import Any

ENABLED = True
NAME = "cchc-build"
MODULE = "analysis.build.batch_kernel"
STANDARD = "python3"


def argv(connection_file: str) -> list[str]:
    """The kernel's command line (what build.prespawn starts, and what the spec below says)."""
    module = MODULE if ENABLED else "ipykernel_launcher"
    return [sys.executable, "-m", module, "-f", connection_file]


def kernel_name() -> str:
    return NAME if ENABLED else STANDARD


def manager_kwargs() -> dict[str, Any]:
    """Keyword arguments for jupyter_client's kernel manager that select this kernel."""
    if not ENABLED:
        return {"kernel_name": STANDARD}
    return {"kernel_name": NAME, "kernel_spec_manager": _specs()}


@functools.cache
def _specs() -> Any:
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class BuildSpecs(KernelSpecManager):
        """The standard specs, plus this module's kernel under NAME."""

        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            if kernel_name == NAME:
                return KernelSpec(
                    argv=argv("{connection_file}"),
                    display_name="Python (cchc-briefings build)",
                    language="python",
                    resource_dir="",
                )
            return super().get_kernel_spec(kernel_name)

    return BuildSpecs()


def main() -> None:
    if sys.path and sys.path[0] == "":  # as ipykernel_launcher: the kernel's folder is not a package root
        del sys.path[0]
    sys.modules.setdefault("debugpy", None)  # type: ignore[assignment]  # ipykernel: no debugger
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
