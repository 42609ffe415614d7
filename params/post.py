"""The post's settings, declared once: every command, figure and benchmark that takes the post's
numbers imports them from here."""

from __future__ import annotations

__all__ = ["BETA"]

#: The post's prevalence of the positive class.
BETA: float = 0.01
