"""Command line interface: ``neurom2 implicit ...``.

Exit codes: 0 success; 1 the computation failed (Macaulay2 error or timeout, failed verification,
Macaulay2 missing); 2 invalid usage or input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .architecture import Architecture
from .errors import InvalidArchitecture, Neurom2Error
from .implicitization import implicitize
from .m2.codegen import standalone_script
from .report import format_neurovariety

EXIT_FAILURE = 1
EXIT_USAGE = 2


def _add_architecture_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--widths", default="2,2,1", help="layer widths d0,...,dL (default: 2,2,1)")
    parser.add_argument("--activation", default="x^2", help="polynomial activation in x, e.g. x^3, x^2+x, 1/2*x^2-3 (default: x^2)")
    parser.add_argument("--bias", action="store_true", help="affine layers (with biases) instead of linear ones")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neurom2", description="Algebraic geometry of polynomial neural networks, with Macaulay2.")
    parser.add_argument("--version", action="version", version=f"neurom2 {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    implicit = commands.add_parser("implicit", help="implicit equations, dimension and degree of a neuromanifold")
    _add_architecture_arguments(implicit)
    implicit.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    implicit.add_argument("--timeout", type=float, default=None, metavar="S", help="time limit for Macaulay2, in seconds")
    implicit.add_argument("--no-verify", dest="verify", action="store_false", help="skip the independent verification")
    implicit.add_argument("--emit-m2", type=Path, metavar="FILE", help="also write the computation as a standalone Macaulay2 script")
    implicit.add_argument("--seed", type=int, default=0, help="seed of the random verification points (default: 0)")
    implicit.set_defaults(handler=_implicit)
    return parser


def _implicit(args: argparse.Namespace) -> int:
    arch = Architecture.create(args.widths, args.activation, args.bias)
    if args.timeout is not None and args.timeout <= 0:
        raise InvalidArchitecture(f"--timeout must be positive, got {args.timeout}")
    if args.emit_m2:
        args.emit_m2.write_text(standalone_script(arch))
    variety = implicitize(arch, timeout=args.timeout, verify=args.verify, seed=args.seed)
    print(json.dumps(variety.to_json(), indent=2) if args.json else format_neurovariety(variety))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except InvalidArchitecture as error:
        print(f"neurom2: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (Neurom2Error, OSError) as error:
        print(f"neurom2: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("neurom2: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
