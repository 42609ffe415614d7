"""What a new weight, or resampling, does to a model observed at one operating point."""

import functools

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import special

from theory.curves import FAMILIES, AsymmetricSuperellipse, Binormal, Superellipse
from theory.operating import operating_point
from theory.whatif import equivalent_weight, what_if

RULES = ("bce", "bayes", "focal")
rates = st.floats(0.005, 0.995)


@given(
    rates,
    rates,
    st.floats(1e-3, 0.5),
    st.floats(-3.0, 5.0),
    st.sampled_from(list(FAMILIES)),
    st.sampled_from(RULES),
)
def test_observed_weight_gives_the_observed_point(
    recall, specificity, beta, log_alpha, family, rule
):
    assume(recall + specificity > 1.02)
    alpha = np.exp(log_alpha)
    scores = what_if(
        recall, specificity, beta=beta, alpha=alpha, alpha_observed=alpha, family=family, rule=rule
    )
    assert scores["recall"] == pytest.approx(recall, abs=1e-9)
    assert scores["specificity"] == pytest.approx(specificity, abs=1e-9)


def test_observed_weight_gives_the_observed_point_for_a_custom_family():
    through = functools.partial(AsymmetricSuperellipse.through, q=2.0)
    scores = what_if(0.7, 0.9, beta=0.05, alpha=3.0, alpha_observed=3.0, family=through, rule="bce")
    assert scores["recall"] == pytest.approx(0.7, abs=1e-9)
    assert scores["specificity"] == pytest.approx(0.9, abs=1e-9)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("family", FAMILIES)
def test_recall_rises_with_alpha(family, rule):
    alphas = np.logspace(-2, 4, 61)
    scores = what_if(
        0.55, 0.9, beta=0.02, alpha=alphas, alpha_observed=2.0, family=family, rule=rule
    )
    assert np.all(np.diff(scores["recall"]) >= -1e-12)
    assert np.all(np.diff(scores["specificity"]) <= 1e-12)
    assert scores["recall"][-1] > scores["recall"][0] + 0.1


@pytest.mark.parametrize(
    ("curve", "rule"),
    [
        (Superellipse(1.5), "bce"),
        (Superellipse(4.0), "bce"),
        (Superellipse(20.0), "bce"),
        (Binormal(0.8), "bayes"),
        (Binormal(2.5), "bayes"),
        # The same holds for the other pairings, and for the asymmetric family with q = 1.
        (Superellipse(3.0), "bayes"),
        (Binormal(1.5), "bce"),
        (AsymmetricSuperellipse(3.0, 1.0), "bce"),
        (AsymmetricSuperellipse(3.0, 1.0), "bayes"),
        (Superellipse(4.0), "focal"),
        (Binormal(1.5), "focal"),
        (AsymmetricSuperellipse(3.0, 1.0), "focal"),
    ],
)
@pytest.mark.parametrize("ratio_observed", [0.1, 0.5, 2.0])
@pytest.mark.parametrize("beta", [0.01, 0.2])
def test_what_if_moves_along_the_theory_curve(curve, rule, ratio_observed, beta):
    # A model that sits where the theory puts weight alpha_observed on this curve must move to
    # where the theory puts weight alpha: the rule's quantity is proportional to the weight.
    # (alpha_observed is a multiple of (1-beta)/beta so that the observed rates stay clear of
    # 0 and 1, where a float no longer resolves which member passes through them.)
    alpha_observed = ratio_observed * (1 - beta) / beta
    recall, specificity = operating_point(alpha_observed, beta, curve, rule=rule)
    alphas = alpha_observed * np.logspace(-2, 2, 17)
    scores = what_if(
        recall,
        specificity,
        beta=beta,
        alpha=alphas,
        alpha_observed=alpha_observed,
        family=curve.family,
        rule=rule,
    )
    x, z = operating_point(alphas, beta, curve, rule=rule)
    np.testing.assert_allclose(scores["recall"], x, rtol=1e-8)
    np.testing.assert_allclose(scores["specificity"], z, rtol=1e-8, atol=1e-12)


@given(st.floats(1e-4, 0.9999), st.floats(1e-4, 0.9999))
def test_equivalent_weight_formula(beta, q):
    expected = (q / (1 - q)) * (1 - beta) / beta
    assert equivalent_weight(beta, q) == pytest.approx(expected, rel=1e-12)
    assert equivalent_weight(beta, beta) == pytest.approx(1.0, rel=1e-12)


def test_equivalent_weight_known_values():
    assert equivalent_weight(0.01, 0.5) == pytest.approx(99.0, rel=1e-12)
    np.testing.assert_allclose(equivalent_weight([0.01, 0.1], [[0.5], [0.1]]), [[99, 9], [11, 1]])


@pytest.mark.parametrize(("positives", "negatives", "kept"), [(100, 9900, 100), (30, 970, 300)])
def test_equivalent_weight_is_what_dropping_negatives_does(positives, negatives, kept):
    # Keeping `kept` of the negatives leaves each kept negative standing for negatives/kept of the
    # original ones: relative to them, each positive weighs negatives/kept.
    beta = positives / (positives + negatives)
    q = positives / (positives + kept)
    assert equivalent_weight(beta, q) == pytest.approx(negatives / kept, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"recall": 1.2},
            r"^The 'recall' parameter of what_if must be a float in the range \(0, 1\)\. "
            r"Got 1\.2 instead\.$",
        ),
        ({"specificity": 0.0}, r"'specificity' parameter of what_if .*\(0, 1\)\. Got 0\.0"),
        ({"beta": 1.5}, r"'beta' parameter of what_if .*\[2\.22507e-308, 1\)\. Got 1\.5 instead"),
        ({"alpha": -1.0}, r"'alpha' parameter of what_if .*\(0, inf\)\. Got -1\.0 instead"),
        ({"alpha_observed": 0.0}, r"'alpha_observed' parameter of what_if .*Got 0\.0 instead"),
        (
            {"family": "nope"},
            r"^The 'family' parameter of what_if must be one of 'superellipse', 'asymmetric', "
            r"'binormal'\. Got 'nope' instead\.$",
        ),
        ({"rule": "x"}, r"'rule' parameter of what_if .*'bce', 'bayes', 'focal'\. Got 'x' instead"),
        (
            {"recall": 0.3, "specificity": 0.4},
            r"^The 'recall' and 'specificity' parameters of what_if must lie on or above the "
            r"chance line \(recall \+ specificity >= 1\).*"
            r"Got recall=0\.3 and specificity=0\.4 instead\.$",
        ),
        (
            {"fbeta": -1.0},
            r"^The 'fbeta' parameter of what_if must be a float in the range \(0, 1e\+100\]\. "
            r"Got -1\.0 instead\.$",
        ),
        (
            {"family": "superellipse", "recall": 0.99999999, "specificity": 0.99999999},
            r"^The 'recall' and 'specificity' parameters of what_if must be a point the "
            r"superellipse family can represent\. Got recall=0\.99999999 and "
            r"specificity=0\.99999999 instead: its member through it would have p=6\.931e\+07",
        ),
        ({"fbeta": 1e200}, r"'fbeta' parameter of what_if .*\(0, 1e\+100\]\. Got 1e\+200 instead"),
    ],
)
def test_errors_name_what_if(kwargs, message):
    arguments = {"recall": 0.6, "specificity": 0.9, "beta": 0.01, "alpha": 2.0} | kwargs
    with pytest.raises(ValueError, match=message):
        what_if(**arguments)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.0, 0.5), r"'beta' parameter of equivalent_weight .*, 1\)\. Got 0\.0 instead"),
        ((0.01, 1.0), r"'positive_fraction' parameter of equivalent_weight .*Got 1\.0 instead"),
    ],
)
def test_equivalent_weight_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        equivalent_weight(*args)


def test_arguments_after_the_point_are_keyword_only():
    with pytest.raises(TypeError, match="positional argument"):
        what_if(0.6, 0.9, 0.01, 2.0)


def test_a_point_near_the_corner_keeps_its_specificity():
    # Through (1 - 1e-9, 1 - 1e-9) the binormal has d = 2 Phi^-1(1 - 1e-9); at alpha = 1e12 the
    # bayes threshold is t = d/2 - ln(1e12)/d, so specificity Phi(t), though recall rounds to 1.
    d = 2 * special.ndtri(1 - 1e-9)
    scores = what_if(1 - 1e-9, 1 - 1e-9, beta=0.01, alpha=1e12)
    assert scores["specificity"] == pytest.approx(special.ndtr(d / 2 - np.log(1e12) / d), rel=1e-9)
    assert scores["specificity"] > 0.9998


# -- a binormal with unequal variances -----------------------------------------------------------


@pytest.mark.parametrize(("s", "point"), [(0.5, (0.6, 0.95)), (2.0, (0.8, 0.7))])
def test_what_if_on_a_binormal_with_a_spread_takes_the_global_bayes_point(s, point):
    # The member with spread s through the point; every new weight lands on the maximum of
    # m*x + z over that curve, its two corners included, with m the observed steepness scaled.
    recall, specificity = point
    through = functools.partial(Binormal.through, s=s)
    curve = through(recall, specificity)
    alphas = np.logspace(-3, 4, 71)
    scores = what_if(recall, specificity, beta=0.05, alpha=alphas, family=through, rule="bayes")
    m = -curve.slope(recall) * alphas
    t = np.linspace(-40.0, 45.0, 850_001)
    x = special.ndtr((curve.d - t) / s)
    z = special.ndtr(t)
    for i, ratio in enumerate(m):
        best = max(np.max(ratio * x + z), ratio, 1.0)
        attained = ratio * scores["recall"][i] + scores["specificity"][i]
        assert attained >= best - 1e-12
    at_one = what_if(recall, specificity, beta=0.05, alpha=1.0, family=through, rule="bayes")
    assert float(at_one["recall"]) == pytest.approx(recall, abs=1e-9)


def test_a_point_that_needs_a_negative_separation_is_refused():
    through = functools.partial(Binormal.through, s=0.5)
    with pytest.raises(ValueError, match=r"found no binormal with s=0\.5 and d >= 0 through"):
        what_if(0.9, 0.2, beta=0.05, alpha=2.0, family=through)
