"""Every presenter, registered by class (:func:`neurom2.typeset.register`): for each result class its typeset
summary and its text report (the command line's output).

Importing this module registers them; :mod:`neurom2.typeset` imports it on the first display of a result whose
class has no presenter yet.  A new result class gets its line here.
"""

from __future__ import annotations

from neurom2.batch.store import ResultRow
from neurom2.filling.certificates import FillingResult
from neurom2.present.display import dimension_summary, filling_summary, membership_summary, neurovariety_summary
from neurom2.present.geometry import format_geometry, geometry_summary
from neurom2.present.landscape_summary import landscape_summary
from neurom2.present.report import (
    format_dimension,
    format_filling,
    format_landscape,
    format_membership,
    format_neurovariety,
)
from neurom2.present.stored import result_row_summary
from neurom2.properties.geometry import Geometry
from neurom2.real.membership.result import Membership
from neurom2.training.landscape import Landscape
from neurom2.typeset import register
from neurom2.variety.dimension import Dimension
from neurom2.variety.neurovariety import Neurovariety

register(Neurovariety, summary=neurovariety_summary, text=format_neurovariety)
register(Dimension, summary=dimension_summary, text=format_dimension)
register(Membership, summary=membership_summary, text=format_membership)
register(FillingResult, summary=filling_summary, text=format_filling)
register(Landscape, summary=landscape_summary, text=format_landscape)
register(ResultRow, summary=result_row_summary)
register(Geometry, summary=geometry_summary, text=format_geometry)
