"""Output formats: an executed briefing notebook rendered as a file (HTML, PDF…) and the publishing check."""
