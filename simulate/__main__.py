"""``python -m simulate``: :func:`simulate.commands.sweep.main`, with Ctrl-C answered from the
first instant.

The package imports nothing heavy (see :mod:`simulate`), so an interrupt while the command loads
is caught here; once it runs, :func:`~simulate.commands.sweep.main` answers interrupts itself.
"""

import signal
import sys

try:
    from simulate.commands.sweep import main

    status = main()
except KeyboardInterrupt:
    print("\ninterrupted while starting; nothing was written", file=sys.stderr)
    status = 130
# The outcome is settled and reported: a late Ctrl-C must not interrupt the exit.
signal.signal(signal.SIGINT, signal.SIG_IGN)
sys.exit(status)
