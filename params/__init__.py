"""Parameters of the toolkit: declared once, validated, parsed from command lines and shown.

- :mod:`params.validation`: intervals, option lists and the one error message shape
  (:class:`~params.validation.ParameterError`) every public function and command uses;
- :mod:`params.settings`: settings declared as dataclass fields (type, range or choices, default,
  help), from which a class validates itself and a command line builds its flags;
- :mod:`params.argtypes`: ``argparse`` types for numbers, comma lists and ``LO:HI[:N]`` grids;
- :mod:`params.tables`: the plain-text tables the commands print;
- :mod:`params.commands`: one way to run a command: parse, run, and end every expected failure
  with one line on stderr and its exit status.
"""
