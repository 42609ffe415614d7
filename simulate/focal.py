"""``python -m simulate.focal``: runs :func:`simulate.commands.focal.main`."""

import sys

from simulate.commands.focal import main

if __name__ == "__main__":
    sys.exit(main())
