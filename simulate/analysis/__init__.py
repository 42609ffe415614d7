"""What a sweep's fits say: per-cell and per-separation tables and the theory's gap
(:mod:`~simulate.analysis.summary`), the per-dataset prediction of every weight
(:mod:`~simulate.analysis.prediction`), and the tuned threshold
(:mod:`~simulate.analysis.thresholding`)."""
