"""neurom2: neural networks with polynomial activations as algebraic geometry, computed with Macaulay2.

Layers, from the ground floor up (each imports only its own layer and those below; ``tests/test_layers.py``
enforces it)::

    errors, deadline, cost, progress, files, rationals, typeset   the ground floor (typeset: the document
                model of results and the registry of their presenters, by class)
    model/      Architecture, Activation, AmbientSpace, Parametrization, Jacobians, Target   (networks and V)
    m2/         the Macaulay2 session, literals, the strict parser, one function per package entry point
    variety/    dimension, interpolation, implicitization, verification → Neurovariety
    real/       membership with certificates, the algebraic boundary of M(R)
    training/   the squared loss as a distance on V;  filling/  minimal filling architectures
    batch/      jobs, store, workers;  tasks  the registry of tasks: their options, once, for the command
                line and job files
    present/    text reports, typeset summaries, pictures, sweep plots (registered by result class)
    cli, claims, doctor, and this façade

Quick start: every entry point takes the network first, as an :class:`Architecture` or as widths with an
activation, and everything else by keyword, named like the command line's options::

    >>> from neurom2 import implicitize, dimension
    >>> variety = implicitize("3,2,3", "x")
    >>> variety.dim, variety.degree
    (8, 3)
    >>> dimension("3,2,1", "x^2").dim
    5

The entry points: :func:`implicitize`, :func:`dimension`, :func:`decide_membership`, :func:`landscape`
(with a :class:`Dataset`), :func:`minimal_filling`, :func:`geometry`; every error they raise is a :class:`Neurom2Error`.

The names below are imported on first use, so ``import neurom2`` is cheap and the command line loads only
what its task needs.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_WHERE = {
    "Activation": "neurom2.model.activation",
    "AmbientSpace": "neurom2.model.space",
    "Architecture": "neurom2.model.architecture",
    "Parametrization": "neurom2.model.parametrization",
    "Target": "neurom2.model.target",
    "Dimension": "neurom2.variety.dimension",
    "dimension": "neurom2.variety.dimension",
    "Neurovariety": "neurom2.variety.neurovariety",
    "implicitize": "neurom2.variety.implicitization",
    "Membership": "neurom2.real.membership",
    "decide_membership": "neurom2.real.membership",
    "Dataset": "neurom2.training.dataset",
    "Landscape": "neurom2.training.landscape",
    "landscape": "neurom2.training.landscape",
    "FillingResult": "neurom2.filling.certificates",
    "Geometry": "neurom2.properties.geometry",
    "geometry": "neurom2.properties.geometry",
    "minimal_filling": "neurom2.batch.filling",
    **{name: "neurom2.errors" for name in (
        "Neurom2Error", "InvalidInput", "InvalidArchitecture", "InvalidActivation", "InvalidTarget", "InvalidOption",
        "InvalidDataset", "TooExpensive", "TimeLimitExceeded", "Macaulay2Crashed", "Macaulay2Error",
        "Macaulay2NotFound", "Macaulay2OutputError", "Macaulay2Timeout", "VerificationError",
    )},
}

__all__ = [
    "Activation", "AmbientSpace", "Architecture", "Dataset", "Dimension", "FillingResult", "Geometry", "InvalidActivation",
    "InvalidArchitecture", "InvalidDataset", "InvalidInput", "InvalidOption", "InvalidTarget", "Landscape",
    "Macaulay2Crashed", "Macaulay2Error", "Macaulay2NotFound", "Macaulay2OutputError", "Macaulay2Timeout",
    "Membership", "Neurom2Error", "Neurovariety", "Parametrization", "Target", "TimeLimitExceeded", "TooExpensive",
    "VerificationError", "decide_membership", "dimension", "geometry", "implicitize", "landscape", "minimal_filling",
]


TASK_OF = {"implicitize": "implicit", "dimension": "dim", "decide_membership": "member", "landscape": "landscape",
           "geometry": "geometry", "minimal_filling": "filling"}
"""The task of the registry (:mod:`neurom2.tasks`) whose options each entry point's keywords are."""


def _checked(function: Callable[..., Any], task_name: str) -> Callable[..., Any]:
    """``function`` with its keyword options checked by the kinds of the task's options, the command line's and job
    files' rules, so that a wrong value (``timeout="x"``, ``seed="a"``) is an :class:`InvalidOption` naming the option,
    not a TypeError from deep inside.  Only plain values (booleans, numbers, text) are checked; objects such as a
    Deadline, a Target or a Macaulay2 session pass as they are, and so does None (each function's own default)."""
    from neurom2.tasks import task

    kinds = {option.name: option.kind for option in task(task_name).options if option.argument}

    @functools.wraps(function)
    def checked(*args: Any, **options: Any) -> Any:
        for name, value in options.items():
            if name in kinds and isinstance(value, (bool, int, float, str)):
                options[name] = kinds[name].check(name, value)
        return function(*args, **options)

    return checked


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        if name in TASK_OF:
            value = _checked(value, TASK_OF[name])
        globals()[name] = value
        return value
    raise AttributeError(f"module 'neurom2' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from neurom2.batch.filling import minimal_filling
    from neurom2.errors import (
        InvalidActivation,
        InvalidArchitecture,
        InvalidDataset,
        InvalidInput,
        InvalidOption,
        InvalidTarget,
        Macaulay2Crashed,
        Macaulay2Error,
        Macaulay2NotFound,
        Macaulay2OutputError,
        Macaulay2Timeout,
        Neurom2Error,
        TimeLimitExceeded,
        TooExpensive,
        VerificationError,
    )
    from neurom2.filling.certificates import FillingResult
    from neurom2.model.activation import Activation
    from neurom2.model.architecture import Architecture
    from neurom2.model.parametrization import Parametrization
    from neurom2.model.space import AmbientSpace
    from neurom2.model.target import Target
    from neurom2.properties.geometry import Geometry, geometry
    from neurom2.real.membership import Membership, decide_membership
    from neurom2.training.dataset import Dataset
    from neurom2.training.landscape import Landscape, landscape
    from neurom2.variety.dimension import Dimension, dimension
    from neurom2.variety.implicitization import implicitize
    from neurom2.variety.neurovariety import Neurovariety
