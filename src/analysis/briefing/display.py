"""Display objects the notebook shows: light (no matplotlib), so the build can import them too."""

from __future__ import annotations


class SvgFigure:
    """An SVG document the notebook displays as is (IPython's SVG class re-parses it: slow).

    `alt` travels as output metadata to the HTML's `alt` attribute, for readers who cannot see it.
    """

    def __init__(self, svg: str, name: str = "figure", alt: str = ""):
        self.svg, self.name, self.alt = svg, name, alt

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        meta = {"image/svg+xml": {"alt": self.alt}} if self.alt else {}
        return {"image/svg+xml": self.svg}, meta

    def __repr__(self) -> str:
        return f"<{self.name} ({len(self.svg) // 1024} KB SVG)>"
