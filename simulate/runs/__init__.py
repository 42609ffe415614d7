"""A run on disk (:mod:`~simulate.runs.folder`: lock, chunks, resume, verified files) and where
its chunks are computed (:mod:`~simulate.runs.backends`: this process, local workers, dask)."""
