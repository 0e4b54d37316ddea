"""National pages from the clean table: the overview tables and pages, the take-away rows, the index."""
