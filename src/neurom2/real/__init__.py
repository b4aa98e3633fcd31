"""Real points of the neuromanifold: membership with certificates, and the algebraic boundary of M(R)."""
