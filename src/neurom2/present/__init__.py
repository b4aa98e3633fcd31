"""The presentation of results: text reports, typeset summaries, pictures and sweep plots (above the mathematics
and batch; nothing below imports it)."""
