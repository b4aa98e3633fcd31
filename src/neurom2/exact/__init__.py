"""General exact tools on the ground floor: no Macaulay2, no presentation, no neural networks.

* :mod:`~neurom2.exact.rationals` — one exact rational across ``Fraction``, python-flint's ``fmpq`` and sympy's ``QQ``;
* :mod:`~neurom2.exact.roots` — real roots of univariate polynomials over QQ: Sturm counts, certified isolating
  balls (Arb), isolating rational intervals, and the working precision of Arb;
* :mod:`~neurom2.exact.terms` — polynomials over QQ as ``{exponent vector: coefficient}`` and their sympy form;
* :mod:`~neurom2.exact.linear` — the Moore–Penrose pseudoinverse over QQ and the Penrose conditions;
* :mod:`~neurom2.exact.residues` — ranks of numpy matrices of residues modulo a prime, by FLINT without converting
  entry by entry.
"""
