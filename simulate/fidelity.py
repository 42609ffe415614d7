"""``python -m simulate.fidelity``: runs :func:`simulate.commands.fidelity.main`."""

import sys

from simulate.commands.fidelity import main

if __name__ == "__main__":
    sys.exit(main())
