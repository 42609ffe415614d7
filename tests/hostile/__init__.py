"""The hostile suite: bad and edge input thrown at every command and the public API.

Each variant is one call that must either run (exit status 0 and no traceback) or be refused
cleanly (a command: exit status 2 and one line on stderr naming the flag or the value; the API: a
``ValueError`` whose message is one line). ``python -m tests.hostile`` runs them all and prints
how many were tried, held and broken; ``tests/hostile/test_hostile.py`` requires none broken.
"""
