"""Networks and their ambient space: activations, architectures, V with its monomial basis, the
parametrization θ ↦ c(θ), its Jacobians, and targets (points of V written as polynomials)."""
