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

from .activation import Activation
from .architecture import Architecture
from .errors import (
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
from .dimension import Dimension
from .implicitization import implicitize
from .membership import Membership, decide_membership
from .neurovariety import Neurovariety
from .parametrization import Parametrization
from .space import AmbientSpace
from .target import Target

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
