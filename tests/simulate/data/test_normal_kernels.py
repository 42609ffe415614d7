import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.data._normal_kernels import STATE_WORDS, fill_normals
from simulate.data.splits import _kernel_is_numpys, _legacy_stream


def _stream_and_numpys(seed, uniforms):
    """The sweep's stream and a new RandomState, both seeded and advanced by ``uniforms``."""
    stream, reference = _legacy_stream(seed), np.random.RandomState(seed)
    np.testing.assert_array_equal(
        stream.rng.uniform(size=uniforms), reference.uniform(size=uniforms)
    )
    return stream, reference


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    uniforms=st.integers(0, 700),
    shapes=st.lists(st.tuples(st.integers(0, 700), st.integers(1, 4)), min_size=1, max_size=3),
)
def test_the_kernels_normals_are_numpys_bit_for_bit(seed, uniforms, shapes):
    # blocks of any size, odd ones leaving a normal for the next, across the generator's twists
    stream, reference = _stream_and_numpys(seed, uniforms)
    for rows, columns in shapes:
        drawn = np.empty((rows, columns))
        stream.fill_normals(drawn)
        expected = reference.standard_normal(size=(rows, columns))
        np.testing.assert_array_equal(drawn.view(np.int64), expected.view(np.int64))
    # the generator's state is where numpy's draws leave it
    np.testing.assert_array_equal(
        stream.rng.randint(2**31, size=5), reference.randint(2**31, size=5)
    )


def test_a_strided_block_is_filled_row_by_row():
    stream, reference = _stream_and_numpys(7, 3)
    rows = np.zeros((501, 5))
    stream.fill_normals(rows[:, 2:])
    np.testing.assert_array_equal(rows[:, 2:], reference.standard_normal(size=(501, 3)))
    assert not rows[:, :2].any()


def test_the_kernel_twists_where_a_new_generator_would():
    # a new instance's position is at the end of its words: the first draw twists
    stream, reference = _stream_and_numpys(11, 0)
    assert stream._state[STATE_WORDS] == STATE_WORDS
    drawn = np.empty((1, 1))
    fill_normals(stream._state, drawn, stream._cached)
    assert drawn[0, 0] == reference.standard_normal()
    assert stream._cached[0] == 1.0 and stream._cached[1] == reference.standard_normal()


def test_reseeding_forgets_the_left_over_normal():
    stream = _legacy_stream(1)
    stream.fill_normals(np.empty((3, 1)))  # an odd count leaves a normal over
    reseeded, reference = _legacy_stream(5), np.random.RandomState(5)
    drawn = np.empty((4, 1))
    reseeded.fill_normals(drawn)
    np.testing.assert_array_equal(drawn.ravel(), reference.standard_normal(4))


def test_the_kernel_is_numpys_on_this_numpy():
    # the check that guards the kernel (numpy's state layout) holds here: the sweep uses it
    assert _kernel_is_numpys()
