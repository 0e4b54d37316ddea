"""Stage 4: build briefings: warm kernels run the notebook; HTML and PDF export; the index page."""
