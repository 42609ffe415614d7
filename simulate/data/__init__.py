"""Where a sweep's datasets come from (:mod:`~simulate.data.sources`), how each is drawn, noised
and split (:mod:`~simulate.data.splits`), and how a training split is resampled
(:mod:`~simulate.data.resample`)."""
