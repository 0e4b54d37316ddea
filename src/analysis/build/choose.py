"""The one place that chooses how a build's briefings run, and what "one briefing" means.

Called before planning, so the chosen executor starts its kernel or workers while the build reads
the data and plans:

- a Dask scheduler given (`--scheduler`, DASK_SCHEDULER_ADDRESS): the cluster (build.cluster);
- a warm Builder given (`analysis preview`): local, on that builder;
- one briefing (executors.one_briefing): local in this process, its kernel started now; forced
  with its year given, the speculative executor (build.speculative) runs the notebook before the
  plan exists;
- otherwise adaptive: a pool of warm worker processes, or local when one worker is enough.
"""

from __future__ import annotations

from typing import Any

from analysis.build.executors import AdaptiveExecutor, LocalExecutor, one_briefing
from analysis.build.jobs import BuildRequest
from analysis.build.worker import Builder


def choose(request: BuildRequest, builder: Builder | None = None, scheduler: str | None = None) -> Any:
    """The executor for this request (see the module's docstring), started now."""
    if scheduler:
        from analysis.build.cluster import DaskExecutor

        return DaskExecutor(request, scheduler)
    if builder is not None:
        return LocalExecutor(request, builder)
    if one_briefing(request):
        from analysis.build.speculative import SpeculativeExecutor, speculate

        if request.force and len(request.years) == 1 and (early := speculate(request)) is not None:
            return SpeculativeExecutor(request, early)
        return LocalExecutor(request)
    return AdaptiveExecutor(request)
