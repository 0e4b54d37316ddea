"""Figures from provincial report texts, for an analyst to review and accept into a figure sheet."""
