"""``python -m simulate.rulefit``: runs :func:`simulate.commands.rulefit.main`."""

import sys

from simulate.commands.rulefit import main

if __name__ == "__main__":
    sys.exit(main())
