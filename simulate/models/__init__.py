"""The models a sweep fits, by name (:mod:`simulate.models.registry`), and their engines: the
decision tree (:mod:`~simulate.models.tree`, :mod:`~simulate.models.numba_tree` and its kernels),
the logistic-regression path (:mod:`~simulate.models.logreg` and its kernels) and the optional
boosting libraries XGBoost and LightGBM (:mod:`~simulate.models.boosters`).

Models take a dataset, the weights and their own settings as arguments; none reads a sweep's
configuration. Kernels live in the ``_*_kernels`` modules beside the engine that calls them.
"""
