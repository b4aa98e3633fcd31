"""The Python API a notebook user finds: the entry points at top level, one calling convention, typed errors."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import neurom2
from neurom2 import Architecture, InvalidArchitecture, Neurom2Error
from neurom2.model.jacobian import coefficient_jacobian

ENTRY_POINTS = ("implicitize", "dimension", "decide_membership", "landscape", "geometry")
"""The functions that take a network: ``(architecture, activation=None, *, keyword options)``."""


def test_every_public_name_is_importable_from_the_top_level():
    for name in neurom2.__all__:
        assert getattr(neurom2, name) is not None, name
    assert {"landscape", "minimal_filling", "Dataset", "Architecture", *ENTRY_POINTS} <= set(neurom2.__all__)


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_entry_points_take_the_network_first_and_everything_else_by_keyword(name):
    parameters = list(inspect.signature(getattr(neurom2, name)).parameters.values())
    assert [p.name for p in parameters[:2]] == ["architecture", "activation"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters[2:]), name
    assert "bias" in {p.name for p in parameters}


def test_widths_with_an_activation_are_the_architecture_they_describe():
    shorthand = neurom2.dimension("3,2,1", "x^2")
    explicit = neurom2.dimension(Architecture.create("3,2,1", "x^2"))
    assert shorthand.architecture == explicit.architecture and shorthand.dim == explicit.dim
    # the dimension checked independently: the numeric rank of dμ at random weights (params 8, one rescaling
    # per hidden neuron, and the rank ≤ 2 quadrics in 3 variables: 6 − 1 = 5)
    arch = Architecture.coerce([3, 2, 1], "x^2")
    rng = np.random.default_rng(0)
    jacobian = coefficient_jacobian(arch, rng.standard_normal(arch.n_params), rng)
    assert np.linalg.matrix_rank(jacobian) == shorthand.dim == 5
    biased = neurom2.dimension("2,2,1", "x^2", bias=True)
    assert biased.architecture.bias is True


@pytest.mark.parametrize("call, message", [
    (lambda: neurom2.implicitize("3,2,1"), "need an activation"),
    (lambda: neurom2.dimension(3, "x^2"), "expected an Architecture or widths"),
    (lambda: neurom2.dimension(b"3,2,1", "x^2"), "expected an Architecture or widths"),
    (lambda: neurom2.decide_membership(Architecture.create("2,2,1", "x^3"), "x^3 - x*y^2"), "was given with an Architecture"),
    (lambda: neurom2.landscape(Architecture.create("2,2,1", "x^3"), "x^2", random_data=4), "was given with an Architecture"),
    (lambda: neurom2.dimension("3,2,1", "sin(x)"), "activation"),
    (lambda: neurom2.dimension("3,0,1", "x^2"), "width"),
])
def test_a_wrong_network_is_a_neurom2_error_that_says_what_was_expected(call, message):
    with pytest.raises(Neurom2Error, match=message) as caught:
        call()
    assert isinstance(caught.value, InvalidArchitecture) or "activation" in message


def test_an_architecture_passes_through_unchanged():
    arch = Architecture.create("2,2,1", "x^3", bias=True)
    assert Architecture.coerce(arch) is arch


def _without_seconds(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.strip().endswith(" s")]


def test_str_of_a_result_is_the_command_line_report(capsys):
    from neurom2.cli import main

    result = neurom2.dimension("3,2,1", "x^2")
    assert main(["dim", "--widths", "3,2,1", "--activation", "x^2", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert _without_seconds(str(result)) == _without_seconds(printed)
    assert "dimension          5" in str(result)


def test_repr_is_short_and_names_the_fields():
    result = neurom2.dimension("6,4,3", "x^2")
    text = repr(result)
    assert text.startswith("Dimension(architecture=Architecture(widths=(6, 4, 3)") and len(text) <= 2000
    assert f"dim={result.dim}" in text


@pytest.mark.macaulay2
def test_repr_of_a_landscape_with_number_field_moduli_stays_under_2000_characters():
    result = neurom2.landscape("2,2,1", "x^3", random_data=20)
    assert len(repr(result)) <= 2000
    assert repr(result).startswith("Landscape(architecture=Architecture(widths=(2, 2, 1)")
    assert str(result).splitlines()[0] != repr(result)  # str is the text report, not the repr


@pytest.mark.macaulay2
def test_minimal_filling_writes_nothing_unless_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = neurom2.minimal_filling(input=2, output=1, depth=2, workers=1)
    assert list(tmp_path.iterdir()) == []
    # (2,2,1) fills R[x,y]_2, checked independently: the numeric Jacobian rank at random weights is dim V = 3
    arch = Architecture.create("2,2,1", "x^2")
    rng = np.random.default_rng(1)
    assert np.linalg.matrix_rank(coefficient_jacobian(arch, rng.standard_normal(arch.n_params), rng)) == 3
    assert [m.widths for m in result.minimal] == [(2, 2, 1)]


@pytest.mark.parametrize("call, option", [
    (lambda: neurom2.dimension("2,2,1", "x^2", timeout="x"), "timeout"),
    (lambda: neurom2.dimension("2,2,1", "x^2", seed="a"), "seed"),
    (lambda: neurom2.implicitize("2,2,1", "x", max_degree="2"), "max_degree"),
    (lambda: neurom2.implicitize("2,2,1", "x", strategy="fastest"), "strategy"),
    (lambda: neurom2.decide_membership("2,2,1", "x^2", target="x^2", field="rational"), "field"),
    (lambda: neurom2.landscape("2,2,1", "x^2", random_data=-3), "random_data"),
    (lambda: neurom2.geometry("2,2,1", "x^3", only=7), "only"),
])
def test_a_wrong_keyword_value_is_an_invalid_option_naming_it(call, option):
    with pytest.raises(neurom2.InvalidOption, match=option) as caught:
        call()
    assert caught.value.option == option


def test_checked_entry_points_keep_their_signature_and_pass_objects_through():
    from neurom2.deadline import Deadline

    assert inspect.signature(neurom2.dimension) == inspect.signature(neurom2.variety.dimension.dimension)
    assert neurom2.dimension("2,2,1", "x^2", timeout=Deadline(60)).dim == 3
