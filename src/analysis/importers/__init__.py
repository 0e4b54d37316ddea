"""Readers for publishers' workbooks: cells (grid), header words (names), province tables (tables)."""
