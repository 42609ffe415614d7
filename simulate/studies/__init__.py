"""Studies built on sweeps: the numba engine against scikit-learn's
(:mod:`~simulate.studies.fidelity`), prediction against retraining
(:mod:`~simulate.studies.retraining`), a weight deployed without retraining against retraining
(:mod:`~simulate.studies.reweighting`), and tables across finished runs
(:mod:`~simulate.studies.comparison`); :mod:`~simulate.studies.sweeps` runs a study's sweeps
into one folder each. Their command lines are in :mod:`simulate.commands`."""
