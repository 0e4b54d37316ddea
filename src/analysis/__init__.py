"""cchc-briefings library: clean province figures and build briefings from them."""

from analysis.errors import AnalysisError

__version__ = "0.1.0"
__all__ = ["AnalysisError", "__version__"]
