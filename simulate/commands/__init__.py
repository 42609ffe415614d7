"""The command lines of :mod:`simulate`: the only modules of the package that import
:mod:`plots`. ``python -m simulate`` runs :mod:`~simulate.commands.sweep`;
``python -m simulate.fidelity``, ``simulate.rulefit`` and ``simulate.retraining`` run the
module of the same name here."""
