"""``python -m simulate.retraining``: runs :func:`simulate.commands.retraining.main`."""

import sys

from simulate.commands.retraining import main

if __name__ == "__main__":
    sys.exit(main())
