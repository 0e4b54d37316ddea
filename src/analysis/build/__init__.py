"""The engine: plan briefings, run the notebook on warm kernels in worker processes, record the results.

Formats are `analysis.outputs`, national pages `analysis.national`.
"""

import sys

# jsonschema (imported by nbformat) imports `rfc3987_syntax` when it is installed, for an optional
# "iri" format check, and that module compiles 39 lark grammars at import: 2-3 s in every build
# process, the largest single start-up cost measured (benchmarks/README.md). Notebook validation
# never checks that format, so the build's processes skip the module (jsonschema handles its
# absence). Only this package's processes are affected.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
