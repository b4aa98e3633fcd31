"""Geometric properties of neuromanifolds: identifiability, singularities and subnetworks, closedness."""
