"""The engine: plan briefings, run the notebook on warm kernels in worker processes, record the results.

Formats are `analysis.outputs`, national pages `analysis.national`.
"""
