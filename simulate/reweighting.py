"""``python -m simulate.reweighting``: runs :func:`simulate.commands.reweighting.main`."""

import sys

from simulate.commands.reweighting import main

if __name__ == "__main__":
    sys.exit(main())
