"""A picture of the real neuromanifold of σ = x³ on widths (2,2,1): a 2-D slice of R[x,y]_3.

The slice is A = 1, D = 0 of the cubics A x³ + B x²y + C xy² + D y³, drawn in the (B, C) plane.  The
boundary hypersurface and its reached side come from :func:`neurom2.real.boundary.algebraic_boundary`
(Macaulay2's fiber discriminant, decided by exact membership at witnesses and by sampled networks).
On the slice, points are coloured by the sign of the boundary polynomial.  A few marked points,
among them the slides' x³ − xy², are also decided by exact membership, and the picture shows the
answers.  Needs matplotlib (``pip install 'neurom2[plot]'``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy

from neurom2.model.architecture import Architecture
from neurom2.real.boundary import algebraic_boundary
from neurom2.errors import Neurom2Error
from neurom2.geometry.implicitization import coordinate_symbols
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.real.membership import decide_membership
from neurom2.model.space import AmbientSpace

MARKED = tuple(
    (Fraction(b), Fraction(c)) for b, c in (("0", "-1"), ("0", "1"), ("-3/2", "2"), ("5/2", "1"), ("2", "-2"), ("-2", "-3/2"))
)
"""(B, C) points decided by exact membership and drawn; (0, −1) is the slides' x³ − xy²."""


@dataclass(frozen=True)
class SlicePicture:
    path: Path
    boundary: str
    """The boundary polynomial restricted to the slice, in B and C."""
    decided: tuple[tuple[Fraction, Fraction, bool | None], ...]


def cubic_slice_picture(path: Path, session: Macaulay2Session | None = None, extent: float = 3.0, resolution: int = 400) -> SlicePicture:
    """Draw the slice and write it as a PNG to ``path``."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise Neurom2Error("the picture needs matplotlib: pip install 'neurom2[plot]'") from None
    session = session or default_session()
    arch = Architecture.create("2,2,1", "x^3")
    space = AmbientSpace.of(arch)
    components = algebraic_boundary(arch, session)
    if len(components) != 1:
        raise Neurom2Error(f"expected one boundary component for σ = x³ on (2,2,1), found {len(components)}")
    boundary = components[0]
    A, B, C, D = coordinate_symbols(space)  # coefficients of x³, x²y, xy², y³
    b, c = sympy.symbols("B C")
    on_slice = sympy.expand(boundary.polynomial.subs({A: 1, B: b, C: c, D: 0}))
    grid = np.linspace(-extent, extent, resolution)
    bb, cc = np.meshgrid(grid, grid)
    values = sympy.lambdify((b, c), on_slice, "numpy")(bb, cc)
    reached = np.sign(values) == boundary.reached_sign

    decided = []
    for point in MARKED:
        target = f"x^3 + ({point[0]})*x^2*y + ({point[1]})*x*y^2"
        decided.append((*point, decide_membership(arch, target, "real", session=session).member))

    figure, axes = plt.subplots(figsize=(6.4, 5.6), dpi=110)
    axes.contourf(bb, cc, reached.astype(float), levels=[-0.5, 0.5, 1.5], colors=["#f4c7c3", "#b7e1cd"])
    axes.contour(bb, cc, values, levels=[0], colors="black", linewidths=1.6)
    for bv, cv, member in decided:
        style = {True: ("o", "#137333", "reached (exact weights)"), False: ("X", "#a50e0e", "not reached (certificate)"), None: ("s", "gray", "undecided")}[member]
        axes.scatter([float(bv)], [float(cv)], marker=style[0], color=style[1], s=70, zorder=3, label=style[2])
    axes.annotate("x³ − xy²", (0, -1), textcoords="offset points", xytext=(8, -14))
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    proxies = [plt.Rectangle((0, 0), 1, 1, color="#b7e1cd"), plt.Rectangle((0, 0), 1, 1, color="#f4c7c3"), plt.Line2D([], [], color="black")]
    axes.legend(proxies + list(unique.values()), ["M(R): reached", "not reached", f"boundary ${sympy.latex(sympy.factor(on_slice))} = 0$", *unique], loc="lower left", fontsize=8)
    axes.set_xlabel("B  (coefficient of x²y)")
    axes.set_ylabel("C  (coefficient of xy²)")
    axes.set_title("σ = x³, widths (2,2,1): the slice x³ + B x²y + C xy² of R[x,y]₃", fontsize=10)
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path)
    plt.close(figure)
    return SlicePicture(path, str(sympy.factor(on_slice)), tuple(decided))
