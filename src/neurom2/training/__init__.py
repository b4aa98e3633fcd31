"""The squared loss on the neuromanifold: data matrices, the loss as a distance in function space."""
