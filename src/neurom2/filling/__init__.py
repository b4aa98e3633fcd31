"""Minimal filling architectures for σ = x^r, found and proved (``neurom2 filling``).

:mod:`~neurom2.filling.regions` (boxes of hidden widths and their staircase), :mod:`~neurom2.filling.search`
(the frontier search, bounds first, ranks from a rank source; ``neurom2 filling`` runs them as batch jobs,
:mod:`neurom2.batch.filling`) and :mod:`~neurom2.filling.certificates` (what is
proved: filling by exact ranks, non-filling regions by the proved upper bounds of
:mod:`neurom2.variety.bounds`).
"""

from neurom2.filling.certificates import FillingResult, MinimalArchitecture, Neighbour, RankProof, Region, Work
from neurom2.filling.regions import Staircase, is_unimodal
from neurom2.filling.search import RankSource, search_box, search_filling, width_caps

__all__ = ["FillingResult", "MinimalArchitecture", "Neighbour", "RankProof", "RankSource", "Region", "Staircase",
           "Work", "is_unimodal", "search_box", "search_filling", "width_caps"]
