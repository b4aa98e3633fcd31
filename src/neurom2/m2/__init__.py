"""The Macaulay2 side of neurom2: a persistent M2 process (``session``) and the code sent to it."""
