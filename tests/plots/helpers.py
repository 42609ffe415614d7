"""Find a figure's lines by the ``gid`` the plotting functions give them."""

from matplotlib.axes import Axes
from matplotlib.lines import Line2D


def line(ax: Axes, gid: str) -> Line2D:
    """The one line of ``ax`` with this ``gid``."""
    (found,) = [item for item in ax.get_lines() if item.get_gid() == gid]
    return found


def lines(ax: Axes, prefix: str) -> list[Line2D]:
    """The lines of ``ax`` whose ``gid`` starts with ``prefix``, in drawing order."""
    return [item for item in ax.get_lines() if (item.get_gid() or "").startswith(prefix)]
