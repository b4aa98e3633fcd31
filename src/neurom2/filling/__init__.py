"""Minimal filling architectures for σ = x^r, found and proved (``neurom2 filling``).

:mod:`~neurom2.filling.regions` (boxes of hidden widths and their staircase), :mod:`~neurom2.filling.search`
(the frontier search, bounds first, ranks as batch jobs) and :mod:`~neurom2.filling.certificates` (what is
proved: filling by exact ranks, non-filling regions by the proved upper bounds of
:mod:`neurom2.variety.bounds`).
"""

from neurom2.filling.certificates import FillingResult, MinimalArchitecture, Neighbour, RankProof, Region, Work
from neurom2.filling.regions import Staircase, is_unimodal
from neurom2.filling.search import DEFAULT_STORE, minimal_filling, width_caps

__all__ = ["DEFAULT_STORE", "FillingResult", "MinimalArchitecture", "Neighbour", "RankProof", "Region", "Staircase",
           "Work", "is_unimodal", "minimal_filling", "width_caps"]
