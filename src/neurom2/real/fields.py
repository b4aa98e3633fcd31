"""The fields of the weights for real questions, by name: what ``decide_membership(field=...)`` accepts.

This module imports nothing, so the task registry (:mod:`neurom2.tasks`) can offer the choice without loading
the mathematics.
"""

FIELDS = ("real", "complex")
"""Weights in R (``real``) or in C (``complex``)."""
