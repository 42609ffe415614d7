import numpy as np
import pytest

from theory import AsymmetricSuperellipse, Binormal, Superellipse, fit_curve

X = np.array([0.2, 0.45, 0.7, 0.9])


@pytest.mark.parametrize("p", [1.0, 1.7, 4.0, 30.0])
def test_recovers_the_superellipse_through_its_points(p):
    assert float(fit_curve(X, Superellipse(p).specificity(X)).p) == pytest.approx(p, rel=1e-6)


def test_recovers_binormal_and_asymmetric():
    assert float(fit_curve(X, Binormal(1.3).specificity(X), "binormal").d) == pytest.approx(1.3)
    fitted = fit_curve(X, AsymmetricSuperellipse(5.0, 2.0).specificity(X), "asymmetric")
    assert (float(fitted.p), float(fitted.q)) == pytest.approx((5.0, 2.0), rel=1e-4)


def test_nearly_flat_loss_finds_the_global_minimum():
    # Points hugging z = 1 at low recall, as a tree at class_sep 0.05 gives: the loss is nearly
    # flat in p, and the least-squares exponent must still be found (brute force agrees).
    x = np.array([0.03, 0.04, 0.05, 0.06, 0.07])
    z = np.array([0.995, 0.993, 0.992, 0.991, 0.99])
    ps = np.exp(np.linspace(0.0, np.log(1000.0), 20_001))
    losses = [np.sum(((x**p + z**p) ** (1 / p) - 1) ** 2) for p in ps]
    assert float(fit_curve(x, z).p) == pytest.approx(ps[np.argmin(losses)], rel=1e-3)


def test_bad_input():
    with pytest.raises(ValueError, match=r"'recall' parameter of fit_curve .*Got 1\.5"):
        fit_curve([1.5], [0.5])
    with pytest.raises(ValueError, match="equal length"):
        fit_curve([0.5, 0.6], [0.5])
    with pytest.raises(ValueError, match="'family'"):
        fit_curve([0.5], [0.6], "circle")
