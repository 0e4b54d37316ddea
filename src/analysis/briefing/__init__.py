"""Stage 3: what one briefing computes, says and draws; the notebook calls `load_briefing`."""

from analysis.briefing.core import load_briefing

__all__ = ["load_briefing"]
