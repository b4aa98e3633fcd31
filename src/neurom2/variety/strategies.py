"""The strategies for the ideal of a neurovariety, by name: what ``implicitize(strategy=...)`` accepts.

What each strategy computes and proves is in :mod:`neurom2.variety.implicitization`.  This module imports
nothing, so the task registry (:mod:`neurom2.tasks`) can offer the choice without loading the mathematics.
"""

STRATEGIES = ("auto", "eliminate", "truncated", "interpolate")
"""The strategies of :func:`~neurom2.variety.implicitization.implicitize`, ``auto`` first (the default)."""
