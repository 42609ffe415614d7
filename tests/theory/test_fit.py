import numpy as np
import pytest
from scipy import special

from theory import AsymmetricSuperellipse, Binormal, Superellipse, fit_curve

X = np.array([0.2, 0.45, 0.7, 0.9])


@pytest.mark.parametrize("p", [1.0, 1.7, 4.0, 30.0])
def test_recovers_the_superellipse_through_its_points(p):
    assert float(fit_curve(X, Superellipse(p).specificity(X)).p) == pytest.approx(p, rel=1e-6)


def test_recovers_binormal_and_asymmetric():
    binormal = fit_curve(X, Binormal(1.3).specificity(X), family="binormal")
    assert float(binormal.d) == pytest.approx(1.3)
    fitted = fit_curve(X, AsymmetricSuperellipse(5.0, 2.0).specificity(X), family="asymmetric")
    assert (float(fitted.p), float(fitted.q)) == pytest.approx((5.0, 2.0), rel=1e-4)


def test_nearly_flat_loss_finds_the_global_minimum():
    # Points hugging z = 1 at low recall, as a tree at class_sep 0.05 gives: the loss is nearly
    # flat in p, and the least-squares exponent must still be found (brute force agrees).
    x = np.array([0.03, 0.04, 0.05, 0.06, 0.07])
    z = np.array([0.995, 0.993, 0.992, 0.991, 0.99])
    ps = np.exp(np.linspace(0.0, np.log(1000.0), 20_001))
    losses = [np.sum(((x**p + z**p) ** (1 / p) - 1) ** 2) for p in ps]
    assert float(fit_curve(x, z).p) == pytest.approx(ps[np.argmin(losses)], rel=1e-3)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (
            ([1.5], [0.5]),
            {},
            r"^The 'recall' parameter of fit_curve must be a float in the range \[0, 1\]\. "
            r"Got 1\.5 instead\.$",
        ),
        (([0.5], [-0.1]), {}, r"'specificity' parameter of fit_curve .*Got -0\.1 instead"),
        (
            ([0.5, 0.6], [0.5]),
            {},
            r"'recall' and 'specificity' parameters of fit_curve .*equal length\. "
            r"Got lengths 2 and 1 instead",
        ),
        (
            ([0.5], [0.6]),
            {"family": "circle"},
            r"^The 'family' parameter of fit_curve must be one of 'superellipse', 'asymmetric', "
            r"'binormal'\. Got 'circle' instead\.$",
        ),
    ],
)
def test_errors_name_fit_curve(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fit_curve(*args, **kwargs)


def test_family_is_keyword_only():
    with pytest.raises(TypeError, match="positional argument"):
        fit_curve(X, X[::-1], "binormal")


def test_the_binormal_fit_keeps_equal_variances():
    # Points of a binormal with s = 2: the fit is still the equal-variance member, whose d is the
    # mean of Phi^-1(x) + Phi^-1(z) (the least squares in probit space with slope fixed at -1).
    z = Binormal(1.3, 2.0).specificity(X)
    fitted = fit_curve(X, z, family="binormal")
    assert float(fitted.s) == 1.0
    expected = np.mean(special.ndtri(X) + special.ndtri(z))
    assert float(fitted.d) == pytest.approx(expected, rel=1e-12)
