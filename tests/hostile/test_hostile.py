"""No variant of the hostile suite breaks: every bad input is refused in one line or a
ValueError, every valid one runs, nothing ends in a traceback or prints a numeric warning."""

from pathlib import Path

import pytest

from tests.hostile.__main__ import report
from tests.hostile.fixtures import make_fixtures
from tests.hostile.runner import Command, run_variant
from tests.hostile.variants import all_variants


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_fixtures(tmp_path_factory.mktemp("hostile"))


@pytest.mark.slow
def test_no_variant_breaks(fixtures):
    outcomes = [run_variant(variant, fixtures) for variant in all_variants()]
    assert len(outcomes) > 400
    assert all(outcome.held for outcome in outcomes), report(outcomes)


def test_the_judge_sees_a_traceback_and_a_silent_acceptance(fixtures):
    """The suite can fail: a refusal expected of a valid run, and a valid run expected refused,
    are both reported broken."""
    valid = ("table", "--beta", "0.01", "--p", "2")
    assert not run_variant(Command("theory", valid, "refused"), fixtures).held
    assert run_variant(Command("theory", valid, "ran"), fixtures).held
    bad = ("table", "--beta", "2")
    refused = run_variant(Command("theory", bad, "either", "--beta"), fixtures)
    assert refused.did == "refused"
