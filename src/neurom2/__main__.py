"""``python -m neurom2 ...``: the command line (:func:`neurom2.cli.main`), as the ``neurom2`` script."""

import sys

from neurom2.cli import main

if __name__ == "__main__":
    sys.exit(main())
