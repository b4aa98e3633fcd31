"""Pictures of real neuromanifolds and of the loss on them (PNG files; matplotlib, ``pip install 'neurom2[plot]'``).

**The cubic slice** (``neurom2 picture``): σ = x³ on widths (2,2,1), the slice A = 1, D = 0 of the cubics
A x³ + B x²y + C xy² + D y³, drawn in the (B, C) plane.  The boundary hypersurface and its reached side
come from :func:`neurom2.real.boundary.algebraic_boundary` (Macaulay2's fiber discriminant, decided by
exact membership at witnesses and by sampled networks).  On the slice, points are coloured by the sign of
the boundary polynomial.  A few marked points, among them the slides' x³ − xy², are also decided by exact
membership, and the picture shows the answers.

**The loss landscape** (``neurom2 picture landscape``): for a network and data, the loss
L(c) = ‖c − A⁺B‖²_Q + const over an affine plane of V through A⁺B and two points that matter (the
infimum's argmin or limit, critical points, where training runs end), in coordinates orthonormal for Q,
so that the contours of L are circles around A⁺B.  On it: M(R) (the reached side of its algebraic
boundary when M fills V, the curve M ∩ plane when M is a hypersurface), the critical points, and the
training runs' paths c(θ_k) projected onto the plane (Q-orthogonally), coloured by how each run ended.
The loss, the region and the points on the plane are exact up to floating point; projected paths and
points off the plane (drawn hollow) are shadows, and the picture says how far off they are.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy

from neurom2 import progress
from neurom2.errors import Neurom2Error
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.real.boundary import algebraic_boundary
from neurom2.real.membership import decide_membership
from neurom2.training.descent import TrainingSummary
from neurom2.variety.implicitization import coordinate_symbols

MARKED = tuple(
    (Fraction(b), Fraction(c)) for b, c in (("0", "-1"), ("0", "1"), ("-3/2", "2"), ("5/2", "1"), ("2", "-2"), ("-2", "-3/2"))
)
"""(B, C) points decided by exact membership and drawn; (0, −1) is the slides' x³ − xy²."""


def _pyplot():
    """matplotlib's pyplot with the file-only Agg backend, imported on first use (an optional extra)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise Neurom2Error("the picture needs matplotlib: pip install 'neurom2[plot]'") from None
    return plt


@dataclass(frozen=True)
class SlicePicture:
    """The slice picture written: its file, the boundary drawn and the points decided."""
    path: Path
    boundary: str
    """The boundary polynomial restricted to the slice, in B and C."""
    decided: tuple[tuple[Fraction, Fraction, bool | None], ...]


def cubic_slice_picture(path: Path, session: Macaulay2Session | None = None, extent: float = 3.0,
                        resolution: int = 400) -> SlicePicture:
    """Draw the slice and write it as a PNG to ``path``."""
    plt = _pyplot()
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
    for k, point in enumerate(MARKED, start=1):
        progress.stage(f"marked point {k} of {len(MARKED)}", "exact membership")
        target = f"x^3 + ({point[0]})*x^2*y + ({point[1]})*x*y^2"
        decided.append((*point, decide_membership(arch, target=target, field="real", session=session).member))

    figure, axes = plt.subplots(figsize=(6.4, 6.4), dpi=110, layout="constrained")
    axes.contourf(bb, cc, reached.astype(float), levels=[-0.5, 0.5, 1.5], colors=["#f4c7c3", "#b7e1cd"])
    axes.contour(bb, cc, values, levels=[0], colors="black", linewidths=1.6)
    for bv, cv, member in decided:
        style = {True: ("o", "#137333", "reached (exact weights)"), False: ("X", "#a50e0e", "not reached (certificate)"),
                 None: ("s", "gray", "undecided")}[member]
        axes.scatter([float(bv)], [float(cv)], marker=style[0], color=style[1], s=70, zorder=3, label=style[2])
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    proxies = [plt.Rectangle((0, 0), 1, 1, color="#b7e1cd"), plt.Rectangle((0, 0), 1, 1, color="#f4c7c3"),
               plt.Line2D([], [], color="black")]
    names = ["M(R): reached", "not reached", f"boundary ${sympy.latex(sympy.factor(on_slice))} = 0$", *unique]
    _legend_below(axes, proxies + list(unique.values()), names)
    axes.set_xlabel("B  (coefficient of x²y)")
    axes.set_ylabel("C  (coefficient of xy²)")
    axes.set_title("σ = x³, widths (2,2,1): the slice x³ + B x²y + C xy² of R[x,y]₃", fontsize=10)
    _place_labels(figure, axes, [axes.annotate("x³ − xy²", (0, -1), xytext=(8, -14), textcoords="offset points", fontsize=8)])
    path = Path(path)
    figure.savefig(path)
    plt.close(figure)
    return SlicePicture(path, str(sympy.factor(on_slice)), tuple(decided))


# --- the loss landscape over a plane of V ---------------------------------------------------------------------


@dataclass(frozen=True)
class MarkedPoint:
    """A function to mark in the landscape picture: coefficients in V's coordinate order."""

    coefficients: tuple[float, ...]
    kind: str
    """``"target"`` (A⁺B), ``"infimum"`` (where the infimum over M(R) is attained or approached),
    ``"critical"`` (a real critical point of the loss on M) or ``"run end"``."""
    label: str


@dataclass(frozen=True, eq=False)
class Plane:
    """The affine plane {origin + s·e₁ + t·e₂} of V, with e₁, e₂ orthonormal for the inner product ``metric``
    (G = I_dL ⊗ Q when Q = AᵀA is positive definite, so that L = const + s² + t² on the plane through A⁺B;
    else the Euclidean one).  Points of V are drawn by their G-orthogonal projection onto the plane."""

    origin: np.ndarray
    basis: np.ndarray
    """Shape ``(2, dim V)``."""
    metric: np.ndarray
    through: tuple[int, ...] = ()
    """Indices of the points (given to :func:`plane_through`) that span the plane with the origin."""

    def coordinates(self, point) -> np.ndarray:
        """(s, t) of the projection of ``point`` (or of each row of an array of points)."""
        return (np.asarray(point, dtype=float) - self.origin) @ self.metric @ self.basis.T

    def point(self, s, t) -> np.ndarray:
        """origin + s e₁ + t e₂; ``s`` and ``t`` may be arrays (the result has a last axis of dim V)."""
        return self.origin + np.multiply.outer(s, self.basis[0]) + np.multiply.outer(t, self.basis[1])

    def distance(self, point) -> float:
        """The G-distance of ``point`` from the plane (0 for points on it)."""
        s, t = self.coordinates(point)
        rest = np.asarray(point, dtype=float) - self.point(s, t)
        return float(math.sqrt(max(rest @ self.metric @ rest, 0.0)))


def plane_through(origin, points, metric: np.ndarray) -> Plane:
    """The plane through ``origin`` and the first two of ``points`` that span one with it (Gram–Schmidt for
    ``metric``, skipping points within 1e-9 of the span so far), completed by coordinate axes if needed."""
    origin = np.asarray(origin, dtype=float)
    points = [np.asarray(p, dtype=float) for p in points]
    candidates = [p - origin for p in points] + list(np.eye(len(origin)))
    scale = max([math.sqrt(abs(d @ metric @ d)) for d in candidates] + [1e-300])
    basis: list[np.ndarray] = []
    through: list[int] = []
    for index, direction in enumerate(candidates):
        for e in basis:
            direction = direction - (e @ metric @ direction) * e
        norm = math.sqrt(max(direction @ metric @ direction, 0.0))
        if norm > 1e-9 * scale:
            basis.append(direction / norm)
            through += [index] if index < len(points) else []
        if len(basis) == 2:
            break
    return Plane(origin, np.array(basis), metric, tuple(through))


@dataclass(frozen=True)
class Region:
    """What is drawn of M(R) on a plane: the reached side of the boundary components of M(R) (``kind
    "boundary"``: σ = x³ and other networks that fill V over C, from
    :func:`neurom2.real.boundary.algebraic_boundary`), or the real points of M when it is a hypersurface
    (``kind "hypersurface"``: its equation from :func:`neurom2.variety.implicitization.implicitize`)."""

    kind: str
    polynomials: tuple[sympy.Expr, ...]
    reached_signs: tuple[int, ...] = ()

    def describe(self) -> str:
        """What is drawn of M(R), in words."""
        if self.kind == "boundary":
            return "M(R): the reached side of its algebraic boundary " + ", ".join(f"{p} = 0" for p in self.polynomials)
        return "M = {" + ", ".join(f"{p} = 0" for p in self.polynomials) + "}"


def region_of(architecture: Architecture, session: Macaulay2Session | None = None, timeout: float | None = None) -> Region | None:
    """The :class:`Region` to draw for an architecture, or None when M is neither V's closure with a known
    real boundary nor a hypersurface (then only points and paths are drawn)."""
    from neurom2.variety.implicitization import implicitize

    session = session or default_session()
    variety = implicitize(architecture, session=session, timeout=timeout)
    space = AmbientSpace.of(architecture)
    if variety.fills:
        components = algebraic_boundary(architecture, session)
        return Region("boundary", tuple(c.polynomial for c in components), tuple(c.reached_sign for c in components))
    if variety.dim == space.dim - 1 and variety.complete and len(variety.equations) == 1:
        return Region("hypersurface", (variety.equations[0].as_expr(),))
    return None


@dataclass(frozen=True)
class DrawnPoint:
    """A marked point as drawn: its plane coordinates and its distance from the plane (0: on it)."""

    label: str
    kind: str
    s: float
    t: float
    off_plane: float


@dataclass(frozen=True)
class LandscapePicture:
    """The landscape picture written: its file, the plane of V, the region and what is drawn on it."""
    path: Path
    plane: Plane
    plane_through: tuple[str, ...]
    """The labels of the marked points that span the plane with A⁺B."""
    points: tuple[DrawnPoint, ...]
    drawn: dict[str, np.ndarray]
    """The offsets of each kind of marker, read back from the figure (plane coordinates)."""
    runs: int
    region: str
    summary: TrainingSummary | None = None
    """How the runs ended, when they were classified."""

    def describe(self) -> str:
        """What was drawn, in words (printed by ``neurom2 picture landscape``)."""
        through = ", ".join(self.plane_through) or "coordinate axes"
        lines = [f"wrote {self.path}: the loss over the plane of V through A⁺B and {through}; {self.region}; "
                 f"{self.runs} training path(s) projected onto the plane"]
        if self.summary is not None:
            lines.append(f"  training  {self.summary.format()}")
        for p in self.points:
            where = "on the plane" if p.off_plane <= 1e-9 * max(1.0, abs(p.s) + abs(p.t)) else f"{p.off_plane:.3g} off the plane"
            lines.append(f"  {p.kind:9s} {p.label}: ({p.s:.4g}, {p.t:.4g}), {where}")
        return "\n".join(lines)


OUTCOME_COLOURS = {"infimum": "#137333", "diverging": "#b06000", "spurious": "#a50e0e", "pure": "#1a73e8", "undecided": "gray"}
"""Path colours by :attr:`RunClassification.outcome`."""
POINT_STYLES = {
    "target": ("*", "black", 140, "A⁺B (least squares in V)"),
    "infimum": ("D", "#137333", 60, "infimum over M(R)"),
    "critical": ("o", "#1a73e8", 55, "critical point on M"),
    "run end": ("s", "#5f6368", 40, "where runs end"),
}
"""Marker, colour, size and legend text of each kind of :class:`MarkedPoint`."""


@dataclass(frozen=True, eq=False)
class _Loss:
    """L(c) = (c − u)ᵀ G (c − u) + const on V: u = A⁺B, G = I_dL ⊗ AᵀA (exact data, drawn in floats)."""

    target: np.ndarray
    gram: np.ndarray
    constant: float

    @classmethod
    def of(cls, architecture: Architecture, dataset) -> _Loss:
        from neurom2.training.dataset import target_coefficients, veronese_matrix
        from neurom2.training.loss import least_squares_loss

        space = AmbientSpace.of(architecture)
        a = np.array([[float(v) for v in row] for row in veronese_matrix(space, dataset).tolist()])
        u = target_coefficients(space, dataset)
        target = np.array([float(u[i, k]) for k in range(space.n_outputs) for i in range(u.nrows())])
        return cls(target, np.kron(np.eye(space.n_outputs), a.T @ a), float(least_squares_loss(space, dataset)))

    @property
    def metric(self) -> np.ndarray:
        """G when it is positive definite, else the Euclidean inner product."""
        definite = np.linalg.eigvalsh(self.gram)[0] > 1e-12 * np.abs(self.gram).max()
        return self.gram if definite else np.eye(len(self.target))

    def __call__(self, points: np.ndarray) -> np.ndarray:
        offset = points - self.target
        return self.constant + np.einsum("...i,ij,...j->...", offset, self.gram, offset)


def landscape_picture(path: Path, architecture: Architecture, dataset, runs: Sequence = (), marked: Sequence[MarkedPoint] = (),
                      *, region: Region | None = None, outcomes: Sequence[str] = (), resolution: int = 300) -> LandscapePicture:
    """Draw L over a plane of V and write it as a PNG to ``path``.

    The plane passes through the target A⁺B of the data and the first two of ``marked`` (their order is
    the caller's priority), then of the runs' end points (most frequent first), that span a plane with it.
    On it: contours of L (exact: L(c) = ‖c − A⁺B‖²_Q + const), the region or curve of M(R) from
    ``region``, the marked points (hollow when off the plane: drawn at their projection), and the training
    runs' paths c(θ_k) (``runs``: :class:`neurom2.training.descent.TrainingRun`), projected, coloured by
    ``outcomes`` (:attr:`RunClassification.outcome`) when given.  The view frames the marked points.
    """
    plt = _pyplot()
    loss = _Loss.of(architecture, dataset)
    ends = [MarkedPoint(c, "run end", f"{n} run{'s end' if n > 1 else ' ends'} here, L = {loss(np.array(c)):.6g}")
            for c, n in _distinct_ends(runs)]
    candidates = [*marked, *ends]
    plane = plane_through(loss.target, [p.coefficients for p in candidates], loss.metric)
    spanning = [candidates[i] for i in plane.through if candidates[i].kind == "run end"]
    shown = [MarkedPoint(tuple(loss.target), "target", "A⁺B"), *marked, *spanning]
    points = tuple(DrawnPoint(p.label, p.kind, *_coordinates(plane, p.coefficients), plane.distance(p.coefficients))
                   for p in shown)
    corners = np.array([[p.s, p.t] for p in points])
    centre = (corners.max(axis=0) + corners.min(axis=0)) / 2
    half = max(float(np.ptp(corners, axis=0).max()) * 0.8, 1e-3 * max(1.0, float(np.abs(corners).max())))
    ss, tt = np.meshgrid(np.linspace(centre[0] - half, centre[0] + half, resolution),
                         np.linspace(centre[1] - half, centre[1] + half, resolution))
    grid = plane.point(ss, tt)

    figure, axes = plt.subplots(figsize=(7.2, 7.4), dpi=110, layout="constrained")
    legend = _draw_region(plt, axes, region, AmbientSpace.of(architecture), ss, tt, grid) if region is not None else []
    values = loss(grid)
    levels = values.min() + (values.max() - values.min()) * np.linspace(0.03, 1, 14) ** 2
    contours = axes.contour(ss, tt, values, levels=levels, colors="#5f6368", linewidths=0.7, alpha=0.8)
    contour_labels = axes.clabel(contours, contours.levels[::3], fmt="%.4g", fontsize=7)
    legend.append((plt.Line2D([], [], color="#5f6368", linewidth=0.7), "loss L (contours, labelled by value)"))
    legend += _draw_runs(plt, axes, plane, runs, outcomes)
    point_legend, labels = _draw_points(plt, axes, points)
    legend += point_legend
    axes.set_xlim(ss.min(), ss.max())
    axes.set_ylim(tt.min(), tt.max())
    axes.set_aspect("equal")
    unit = "Q-orthonormal" if loss.metric is loss.gram else "orthonormal"
    axes.set_xlabel(f"s ({unit} coordinate on the plane)")
    axes.set_ylabel(f"t ({unit} coordinate on the plane)")
    through = tuple(candidates[i].label for i in plane.through)
    widths = ",".join(map(str, architecture.widths))
    axes.set_title(f"σ = {architecture.activation}, widths ({widths}), {len(dataset)} data points: "
                   f"the loss L over a plane of V\nthrough A⁺B and {len(through)} marked point(s); "
                   "filled markers: on the plane, hollow: projected onto it", fontsize=9)
    _legend_below(axes, [h for h, _ in legend], [t for _, t in legend], _caption(region) if runs else None)
    drawn: dict[str, list[np.ndarray]] = {}
    for collection in axes.collections:
        if collection.get_gid():
            drawn.setdefault(collection.get_gid(), []).append(np.asarray(collection.get_offsets()))
    _place_labels(figure, axes, labels, contour_labels)
    path = Path(path)
    figure.savefig(path)
    plt.close(figure)
    return LandscapePicture(path, plane, through, points, {k: np.concatenate(v) for k, v in drawn.items()}, len(runs),
                            region.describe() if region is not None else "M(R) not drawn")


def _caption(region: Region | None) -> str:
    """What the training paths are, and why they may leave what is drawn of M(R)."""
    paths = "Paths: the functions c(θₖ) ∈ V of the runs, projected onto the plane; they lie on M(R) but mostly off the plane"
    if region is None:
        text = paths + "."
    elif region.kind == "boundary":
        text = "Shading: M(R) on this plane only.  " + paths + ", so their shadows may cross 'not reached'."
    else:
        text = paths + ", so their shadows may leave the curve M ∩ plane."
    return textwrap.fill(text, 100)


def _coordinates(plane: Plane, point) -> tuple[float, float]:
    s, t = plane.coordinates(point)
    return float(s), float(t)


def _draw_runs(plt, axes, plane: Plane, runs: Sequence, outcomes: Sequence[str]) -> list[tuple[object, str]]:
    """Each run's path c(θ_k), projected; its end as a dot (gid ``"path end"``)."""
    labelled = list(outcomes) + [""] * (len(runs) - len(outcomes))
    for run, outcome in zip(runs, labelled):
        colour = OUTCOME_COLOURS.get(outcome, "#1a73e8")
        track = plane.coordinates(np.array(run.path))
        axes.plot(track[:, 0], track[:, 1], color=colour, linewidth=0.9, alpha=0.7)
        axes.scatter(track[-1:, 0], track[-1:, 1], color=colour, s=14, zorder=4, gid="path end")
    return [(plt.Line2D([], [], color=OUTCOME_COLOURS.get(o, "#1a73e8"), marker="o", markersize=3),
             f"training run c(θₖ), projected, • its end: {o or 'path'}") for o in dict.fromkeys(labelled)]


def _draw_points(plt, axes, points: Sequence[DrawnPoint]) -> tuple[list[tuple[object, str]], list]:
    """The marked points by kind (gid = the kind), filled when on the plane, hollow when projected, and their
    labels: one annotation per place (the labels of points within 2% of the view at one place are its lines),
    to be placed by :func:`_place_labels`.  Returns the legend entries and the annotations."""
    legend = []
    hollow = False
    span = max((abs(p.s) + abs(p.t) for p in points), default=1.0) or 1.0
    places: list[tuple[float, float, list[str]]] = []
    for kind, (marker, colour, size, name) in POINT_STYLES.items():
        chosen = [p for p in points if p.kind == kind]
        if not chosen:
            continue
        filled = [colour if p.off_plane <= 1e-6 * max(1.0, abs(p.s) + abs(p.t)) else "none" for p in chosen]
        hollow = hollow or "none" in filled
        axes.scatter([p.s for p in chosen], [p.t for p in chosen], marker=marker, s=size, zorder=5, linewidths=1.4,
                     facecolors=filled, edgecolors=colour, gid=kind)
        for p in chosen:
            near = [place for place in places if abs(place[0] - p.s) + abs(place[1] - p.t) <= 0.02 * span]
            if near:
                near[0][2].append(p.label)
            else:
                places.append((p.s, p.t, [p.label]))
        legend.append((plt.Line2D([], [], marker=marker, color=colour, linestyle=""), name))
    if hollow:
        legend.append((plt.Line2D([], [], marker="o", color="#5f6368", markerfacecolor="none", linestyle=""),
                       "hollow: a point off the plane, drawn at its projection"))
    labels = [axes.annotate("\n".join(lines), (s, t), xytext=(6, 4), textcoords="offset points", fontsize=7, zorder=6,
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.75, "linewidth": 0})
              for s, t, lines in places]
    return legend, labels


def _legend_below(axes, handles: Sequence, names: Sequence[str], caption: str | None = None) -> None:
    """The legend under the axes, in two columns, with ``caption`` as its title (the figure must use the
    constrained layout, which makes room for it)."""
    legend = axes.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2, fontsize=7.5,
                         frameon=False, title=caption, title_fontsize=7.5)
    legend.get_title().set_multialignment("left")


OFFSETS = ((6, 4, "left", "bottom"), (6, -4, "left", "top"), (-6, 4, "right", "bottom"), (-6, -4, "right", "top"),
           (0, 9, "center", "bottom"), (0, -9, "center", "top"), (10, 0, "left", "center"), (-10, 0, "right", "center"))
"""Where a point label may go (offset in points, alignment), in order of preference."""


def _place_labels(figure, axes, labels: Sequence, obstacles: Sequence = ()) -> None:
    """Put each point label at the first of :data:`OFFSETS` where it lies inside the axes and clear of the
    labels placed before it and of ``obstacles`` (contour labels); when only a place clear of the labels
    exists, the obstacles in its way are removed, and when none exists, the label's font shrinks down to 5 pt
    before it takes the place that overlaps least.  Runs the layout first (positions are in pixels)."""
    for label in labels:
        label.set_in_layout(False)  # placed inside the axes below, after the layout
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    frame = axes.get_window_extent(renderer)
    placed: list = []
    obstacles = list(obstacles)

    def clashes(box, others) -> list:
        return [o for o in others if box.overlaps(o.get_window_extent(renderer))]

    def inside(box) -> bool:
        return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1

    for label in labels:
        best: tuple[float, tuple, list] | None = None
        while best is None or (best[0] > 0 and label.get_fontsize() > 5):
            if best is not None:
                label.set_fontsize(label.get_fontsize() - 1)
            best = None
            for dx, dy, ha, va in OFFSETS:
                label.xyann = (dx, dy)
                label.set_horizontalalignment(ha)
                label.set_verticalalignment(va)
                box = label.get_window_extent(renderer)
                badness = (0 if inside(box) else 2) + (1 if clashes(box, placed) else 0)
                in_way = clashes(box, obstacles)
                key = (badness, len(in_way))
                if best is None or key < (best[0], len(best[2])):
                    best = (badness, (dx, dy, ha, va), in_way)
                if key == (0, 0):
                    break
        dx, dy, ha, va = best[1]
        label.xyann = (dx, dy)
        label.set_horizontalalignment(ha)
        label.set_verticalalignment(va)
        for obstacle in best[2]:
            obstacle.remove()
            obstacles.remove(obstacle)
        placed.append(label)
    for obstacle in list(obstacles):  # contour labels that leave the axes or overprint one another
        others = [o for o in obstacles if o is not obstacle]
        box = obstacle.get_window_extent(renderer)
        if not inside(box) or clashes(box, others):
            obstacle.remove()
            obstacles.remove(obstacle)


def _distinct_ends(runs: Sequence) -> list[tuple[tuple[float, ...], int]]:
    """The runs' final functions, those within 1e-4 (relative) of each other merged, most frequent first."""
    ends: list[tuple[np.ndarray, int]] = []
    for run in runs:
        c = np.asarray(run.final_coefficients, dtype=float)
        for i, (d, n) in enumerate(ends):
            if np.linalg.norm(c - d) <= 1e-4 * max(float(np.linalg.norm(c)), float(np.linalg.norm(d)), 1e-300):
                ends[i] = (d, n + 1)
                break
        else:
            ends.append((c, 1))
    return [(tuple(float(v) for v in d), n) for d, n in sorted(ends, key=lambda e: -e[1])]


def _draw_region(plt, axes, region: Region, space: AmbientSpace, ss, tt, grid) -> list[tuple[object, str]]:
    symbols = coordinate_symbols(space)
    coordinates = np.moveaxis(grid, -1, 0)
    values = [np.broadcast_to(sympy.lambdify(symbols, p, "numpy")(*coordinates), ss.shape) for p in region.polynomials]
    if region.kind == "boundary":
        reached = np.ones(ss.shape, dtype=bool)
        for v, sign in zip(values, region.reached_signs):
            reached &= np.sign(v) != -sign
        axes.contourf(ss, tt, reached.astype(float), levels=[-0.5, 0.5, 1.5], colors=["#f4c7c3", "#b7e1cd"])
        for v in values:
            axes.contour(ss, tt, v, levels=[0], colors="black", linewidths=1.4)
        return [(plt.Rectangle((0, 0), 1, 1, color="#b7e1cd"), "M(R): reached by real weights"),
                (plt.Rectangle((0, 0), 1, 1, color="#f4c7c3"), "not reached"),
                (plt.Line2D([], [], color="black"), "algebraic boundary of M(R)")]
    for v in values:
        axes.contour(ss, tt, v, levels=[0], colors="black", linewidths=1.4)
    return [(plt.Line2D([], [], color="black"), "M ∩ plane")]


def draw_landscape(out: Path, architecture: Architecture, dataset, *, runs: int = 20, seed: int = 0, max_steps: int = 5000,
                   timeout: float | None = None, session: Macaulay2Session | None = None) -> LandscapePicture:
    """``neurom2 picture landscape``: ``runs`` trainings (:func:`neurom2.training.descent.train`) classified
    against the function-space facts (:func:`_function_space_facts`), the region of M(R), and
    :func:`landscape_picture` of them all.  ``timeout`` bounds the whole computation."""
    from neurom2.deadline import Deadline
    from neurom2.training import descent

    deadline = Deadline(timeout)
    with deadline.enforced():
        session = session or default_session()
        facts = _function_space_facts(architecture, dataset, deadline, session)
        trained = descent.train(architecture, dataset, runs, seed=seed, max_steps=max_steps, deadline=deadline)
        unattained = [p.coefficients for p in facts.marked if p.kind == "infimum"] if facts.attained is False else []
        verdicts = descent.classify(trained, [p.coefficients for p in facts.marked if p.kind == "critical"], facts.infimum,
                                    facts.dim, attained=facts.attained, unattained_points=unattained)
        region = region_of(architecture, session, timeout=deadline.remaining())
        picture = landscape_picture(out, architecture, dataset, trained, facts.marked, region=region,
                                    outcomes=[v.outcome for v in verdicts])
        return dataclasses.replace(picture, summary=descent.summarize(verdicts))


@dataclass(frozen=True)
class _Facts:
    """What the picture takes from the function-space computation."""

    marked: list[MarkedPoint]
    infimum: float | None
    attained: bool | None
    dim: int


def _function_space_facts(architecture: Architecture, dataset, deadline, session: Macaulay2Session) -> _Facts:
    """The infimum (and its argmin) and the real critical points from :func:`neurom2.training.landscape.landscape`.

    INTEGRATION POINT: written against the interface of ISSUE 8 (``landscape(architecture, dataset=..., ...)``;
    ``.critical_points[i].approximate`` floats in V's order, ``.real``, ``.type``, ``.loss``;
    ``.infimum.value``, ``.attained``, ``.argmin``; ``.dim``).  Until that module exists, only dim M (from
    :func:`neurom2.variety.dimension.dimension`): the picture then has no critical points, and runs are
    classified without them.
    """
    try:
        from neurom2.training.landscape import landscape  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        from neurom2.variety.dimension import dimension

        return _Facts([], None, None, dimension(architecture, timeout=deadline).dim)
    result = landscape(architecture, dataset=dataset, timeout=deadline.remaining(), session=session)
    marked = []
    infimum = result.infimum
    if infimum.argmin is not None and infimum.value is not None:  # no value: the argmin is only of a lower bound
        label = {True: "argmin", False: "limit, not attained", None: "attainment undecided"}[infimum.attained]
        marked.append(MarkedPoint(tuple(float(v) for v in infimum.argmin), "infimum", f"{label}, L = {infimum.value:.6g}"))
    for point in sorted((p for p in result.critical_points if p.real), key=lambda p: float(p.loss)):
        coefficients = tuple(float(v) for v in point.approximate)
        marked.append(MarkedPoint(coefficients, "critical", f"{point.type}, L = {float(point.loss):.6g}"))
    return _Facts(marked, infimum.value, infimum.attained, result.dim)


def picture_dataset(architecture: Architecture, data: Path | None, random_data: int, seed: int):
    """The data of ``picture landscape``: read from ``data`` (a CSV file) or ``random_data`` random points.

    INTEGRATION POINT: :class:`neurom2.training.dataset.Dataset` (ISSUE 8) reads CSV files and draws random
    data; until it exists, random data from :func:`neurom2.training.loss.random_dataset` only.
    """
    try:
        from neurom2.training.dataset import Dataset  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        import random

        from neurom2.errors import InvalidOption
        from neurom2.training.loss import random_dataset

        if data is not None:
            raise InvalidOption("--data needs neurom2.training.dataset, which this version does not have") from None
        return random_dataset(architecture, random_data, random.Random(seed))
    return Dataset.read_csv(data) if data is not None else Dataset.random(architecture, random_data, seed)
