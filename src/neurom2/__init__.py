"""neurom2: neural networks with polynomial activations as algebraic geometry, computed with Macaulay2.

Data flow (one module per stage)::

    Architecture ─► Parametrization ─► implicitize (Macaulay2 session) ─► parse ─► Neurovariety
    (architecture)   (parametrization,    (implicitization, m2.codegen,    (m2.parse) (neurovariety,
                      jacobian)            m2.session)                                 verification)

Quick start::

    >>> from neurom2 import Architecture, implicitize
    >>> variety = implicitize(Architecture.create("3,2,3", "x"))
    >>> variety.dim, variety.degree
    (8, 3)
"""

from neurom2.model.activation import Activation
from neurom2.model.architecture import Architecture
from neurom2.errors import (
    InvalidActivation,
    InvalidArchitecture,
    Macaulay2Crashed,
    Macaulay2Error,
    Macaulay2NotFound,
    Macaulay2OutputError,
    Macaulay2Timeout,
    Neurom2Error,
    VerificationError,
)
from neurom2.geometry.dimension import Dimension
from neurom2.geometry.implicitization import implicitize
from neurom2.real.membership import Membership, decide_membership
from neurom2.geometry.neurovariety import Neurovariety
from neurom2.model.parametrization import Parametrization
from neurom2.model.space import AmbientSpace
from neurom2.model.target import Target

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "AmbientSpace",
    "Architecture",
    "Dimension",
    "InvalidActivation",
    "InvalidArchitecture",
    "Macaulay2Crashed",
    "Macaulay2Error",
    "Macaulay2NotFound",
    "Macaulay2OutputError",
    "Macaulay2Timeout",
    "Membership",
    "Neurom2Error",
    "Neurovariety",
    "Parametrization",
    "Target",
    "decide_membership",
    "implicitize",
]
