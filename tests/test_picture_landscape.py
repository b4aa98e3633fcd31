"""The landscape picture: the plane, the loss drawn on it, and what is drawn where, checked against exact
losses, independent SVDs and the figure's own artists."""

import random
from fractions import Fraction

import numpy as np
import pytest
import sympy
from test_descent import partial_svds

from neurom2.cli import main
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.present.picture import MarkedPoint, _Loss, landscape_picture, plane_through, region_of
from neurom2.training.descent import classify, train
from neurom2.training.loss import loss, random_dataset
from neurom2.variety.implicitization import coordinate_symbols

PNG = b"\x89PNG\r\n\x1a\n"


def test_the_plane_through_the_target_is_orthonormal_for_q_and_the_loss_on_it_is_exact():
    arch = Architecture.create("2,2,1", "x^3")
    data = random_dataset(arch, 12, random.Random(4))
    exact = _Loss.of(arch, data)
    rng = np.random.default_rng(0)
    p, q = rng.standard_normal(4), rng.standard_normal(4)
    plane = plane_through(exact.target, [exact.target, p, 2 * p - exact.target, q], exact.metric)
    assert plane.through == (1, 3)  # the target itself and a point on the line through p are skipped
    np.testing.assert_allclose(plane.basis @ exact.gram @ plane.basis.T, np.eye(2), atol=1e-9)
    for point in (p, q):
        assert plane.distance(point) <= 1e-9 * np.sqrt((point - exact.target) @ exact.gram @ (point - exact.target))
        np.testing.assert_allclose(plane.point(*plane.coordinates(point)), point, rtol=1e-9, atol=1e-12)
    s, t = 0.3, -1.7
    c = plane.point(s, t)
    assert float(loss(arch, data, [Fraction(v) for v in c])) == pytest.approx(exact.constant + s * s + t * t, rel=1e-9)
    assert exact(c) == pytest.approx(exact.constant + s * s + t * t, rel=1e-9)


@pytest.mark.macaulay2
def test_linear_picture_draws_the_partial_svds_on_the_determinant_and_every_run_end(tmp_path):
    arch = Architecture.create("2,1,2", "x")  # M: 2x2 matrices of rank <= 1, the hypersurface det = 0
    data = random_dataset(arch, 12, random.Random(3))
    critical = sorted(partial_svds(arch, data, 1), key=lambda pair: pair[0])
    runs = train(arch, data, 5, seed=0)
    verdicts = classify(runs, [c for _, c in critical], critical[0][0], 3)
    assert [v.outcome for v in verdicts] == ["infimum"] * 5
    region = region_of(arch)
    marked = [MarkedPoint(tuple(c), "critical", f"L = {value:.6g}") for value, c in critical]
    picture = landscape_picture(tmp_path / "linear.png", arch, data, runs, marked, region=region,
                                outcomes=[v.outcome for v in verdicts])
    data_png = (tmp_path / "linear.png").read_bytes()
    assert data_png[:8] == PNG and len(data_png) > 20_000
    # the determinant Macaulay2 found vanishes at both critical points, which span the plane with A⁺B
    assert region.kind == "hypersurface"
    determinant = sympy.lambdify(coordinate_symbols(AmbientSpace.of(arch)), region.polynomials[0])
    assert all(abs(determinant(*c)) < 1e-9 * np.linalg.norm(c) ** 2 for _, c in critical)
    assert picture.plane_through == tuple(p.label for p in marked)
    drawn = picture.drawn["critical"]
    for (value, c), (s, t) in zip(critical, drawn):
        np.testing.assert_allclose(picture.plane.point(s, t), c, rtol=1e-9, atol=1e-12)  # drawn where computed
        assert _Loss.of(arch, data)(picture.plane.point(s, t)) == pytest.approx(value, rel=1e-9)
    np.testing.assert_allclose(picture.drawn["target"], [[0, 0]], atol=1e-12)
    ends = np.array([picture.plane.coordinates(r.final_coefficients) for r in runs])
    np.testing.assert_allclose(picture.drawn["path end"], ends, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ends, np.repeat(drawn[:1], 5, axis=0), rtol=1e-6, atol=1e-6)  # all at Eckart–Young


@pytest.mark.macaulay2
def test_picture_landscape_command_for_the_cubic_network(tmp_path, capsys):
    out = tmp_path / "x3.png"
    assert main(["picture", "landscape", "--widths", "2,2,1", "--activation", "x^3", "--random-data", "20", "--seed", "1",
                 "--train", "3", "--max-steps", "300", "--out", str(out), "--quiet"]) == 0
    assert out.read_bytes()[:8] == PNG and out.stat().st_size > 20_000
    text = capsys.readouterr().out
    assert f"wrote {out}" in text and "M(R): the reached side of its algebraic boundary" in text
    assert "3 training path(s)" in text and "target    A⁺B: (0, 0), on the plane" in text


def test_picture_without_a_subcommand_is_still_the_cubic_slice():
    from neurom2.cli import build_parser

    args = build_parser().parse_args(["picture", "--out", "slice.png"])
    assert args.handler.__name__ == "_picture" and str(args.out) == "slice.png"
    args = build_parser().parse_args(["picture", "landscape", "--train", "2"])
    assert args.handler.__name__ == "_picture_landscape" and args.train == 2 and args.random_data == 20
