"""The post's settings, declared once: every command, figure and benchmark that takes the post's
numbers imports them from here.

The sweep's grids are declared as a command line writes them (``*_TEXT``, the defaults of
``python -m simulate``) and, parsed from that text, as numbers; the theory's grids as numbers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from params.argtypes import grid
from params.validation import POSITIVE

__all__ = [
    "ALPHAS",
    "ALPHAS_TEXT",
    "BETA",
    "SEPS",
    "SEPS_TEXT",
    "THEORY_ALPHAS",
    "THEORY_P",
]

#: The post's prevalence of the positive class.
BETA: float = 0.01

#: The sweep's weights of the positive class as a command line writes them: 15 log-spaced values
#: from 1 to 316.227766 (``10 ** 2.5`` to six decimals).
ALPHAS_TEXT = "1:316.227766:15"
#: The sweep's weights, :data:`ALPHAS_TEXT` parsed.
ALPHAS: tuple[float, ...] = tuple(grid(POSITIVE, spacing="log")(ALPHAS_TEXT))

#: The sweep's class separations as a command line writes them: ``linspace(0.05, 3, 15)`` rounded
#: to two decimals.
SEPS_TEXT = "0.05,0.26,0.47,0.68,0.89,1.1,1.31,1.52,1.74,1.95,2.16,2.37,2.58,2.79,3"
#: The sweep's class separations, :data:`SEPS_TEXT` parsed.
SEPS: tuple[float, ...] = tuple(grid(POSITIVE, spacing="linear")(SEPS_TEXT))

#: The weights of the theory's curves: 100 log-spaced values from 1 to ``10 ** 2.5``.
THEORY_ALPHAS: NDArray[np.float64] = np.logspace(0.0, 2.5, 100)
#: The theory's curve qualities: 15 log-spaced values of the superellipse's p, from about 2 to
#: about 40.
THEORY_P: NDArray[np.float64] = np.logspace(0.3, 1.6, 15)
