"""Stage 3: what one briefing computes, says and draws; the notebook calls `load_briefing`.

`load_briefing` is imported lazily so that the build's light entry (`analysis.briefing.inputs`)
does not pay for matplotlib.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_briefing"]


def __getattr__(name: str) -> Any:
    if name == "load_briefing":
        from analysis.briefing.core import load_briefing

        return load_briefing
    raise AttributeError(f"module 'analysis.briefing' has no attribute {name!r}")
