import pytest

from simulate import RunData, SweepConfig, run_sweep

#: A sweep that runs in about a second with the sklearn engine.
SMALL_CONFIG = SweepConfig(
    beta=0.05,
    alphas=(1.0, 5.0, 19.0),
    seps=(0.5, 2.0),
    reps=3,
    n_samples=800,
    n_features=6,
    n_informative=3,
    engine="sklearn",
)


@pytest.fixture
def small_config() -> SweepConfig:
    """:data:`SMALL_CONFIG`, for tests that run a real sweep."""
    return SMALL_CONFIG


@pytest.fixture(scope="session")
def small_sweep() -> RunData:
    """:data:`SMALL_CONFIG` run once per session, in this process, without a run folder."""
    return run_sweep(SMALL_CONFIG, n_jobs=1, progress=False)
