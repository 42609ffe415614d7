"""Numba kernel of the legacy generator's normals: ``RandomState.standard_normal``'s draws, to
the bit, at two thirds of the time (:func:`simulate.data.splits._classification` draws them).

numpy's legacy normals take each pair from the polar method on two doubles of MT19937, one
32-bit word at a time, through a function pointer per double. The kernel draws the same words
(the twist and the tempering of the reference generator, a block of 624 words at once, which
the compiler vectorises), forms the same doubles, rejects the same pairs and takes the same
``sqrt(-2 log(r2) / r2)`` (the C library's ``log``, as numpy's C code calls it), so every
normal is numpy's to the bit. It reads and writes the generator's state where numpy keeps it:
``state`` is the MT19937 state struct (624 key words, then the position) seen as 625 unsigned
32-bit words. Nothing here validates its inputs.
"""

import numpy as np
from numba import njit

#: MT19937's state words, and the offset of the word each twist mixes in.
STATE_WORDS, _SHIFT = 624, 397
#: The twist's matrix and the masks of a word's upper bit and lower 31 bits.
_MATRIX, _UPPER, _LOWER = 0x9908B0DF, 0x80000000, 0x7FFFFFFF


@njit(cache=True)
def _twist(key):
    """The next 624 words of the state ``key`` (int64 holding unsigned 32-bit words), in place."""
    for i in range(STATE_WORDS - _SHIFT):
        y = (key[i] & _UPPER) | (key[i + 1] & _LOWER)
        key[i] = key[i + _SHIFT] ^ (y >> 1) ^ ((y & 1) * _MATRIX)
    for i in range(STATE_WORDS - _SHIFT, STATE_WORDS - 1):
        y = (key[i] & _UPPER) | (key[i + 1] & _LOWER)
        key[i] = key[i + _SHIFT - STATE_WORDS] ^ (y >> 1) ^ ((y & 1) * _MATRIX)
    y = (key[STATE_WORDS - 1] & _UPPER) | (key[0] & _LOWER)
    key[STATE_WORDS - 1] = key[_SHIFT - 1] ^ (y >> 1) ^ ((y & 1) * _MATRIX)


@njit(cache=True)
def _temper(key, words):
    """The generator's outputs of the state words ``key``, into ``words``."""
    for i in range(STATE_WORDS):
        y = key[i]
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        words[i] = y


@njit(cache=True, inline="always")
def _unit(a, b):
    """The double in [0, 1) of two words, as numpy forms it: 27 and 26 of their upper bits."""
    return ((a >> 5) * 67108864.0 + (b >> 6)) / 9007199254740992.0


@njit(cache=True)
def fill_normals(state, out, cached):
    """Fill ``out`` (2-D, row by row) with standard normals from the generator ``state``.

    ``cached`` holds ``[1, value]`` for a normal left over by an earlier call (the second of
    a pair, which the legacy generator keeps for its next normal) and ``[0, 0]`` otherwise;
    it is updated, as ``state`` is.
    """
    key = state[:STATE_WORDS].astype(np.int64)
    position = np.int64(state[STATE_WORDS])
    words = np.empty(STATE_WORDS, np.int64)
    if position < STATE_WORDS:  # else the first draw twists, as the generator does
        _temper(key, words)
    rows, columns = out.shape
    pending, kept = cached[0] != 0.0, cached[1]
    for i in range(rows):
        for j in range(columns):
            if pending:
                out[i, j] = kept
                pending, kept = False, 0.0
                continue
            while True:
                if position + 4 <= STATE_WORDS:
                    a, b = words[position], words[position + 1]
                    c, d = words[position + 2], words[position + 3]
                    position += 4
                else:  # the four words run across a twist
                    a = b = c = d = 0
                    for w in range(4):
                        if position == STATE_WORDS:
                            _twist(key)
                            _temper(key, words)
                            position = 0
                        if w == 0:
                            a = words[position]
                        elif w == 1:
                            b = words[position]
                        elif w == 2:
                            c = words[position]
                        else:
                            d = words[position]
                        position += 1
                x1 = 2.0 * _unit(a, b) - 1.0
                x2 = 2.0 * _unit(c, d) - 1.0
                r2 = x1 * x1 + x2 * x2
                if r2 < 1.0 and r2 != 0.0:
                    break
            f = np.sqrt(-2.0 * np.log(r2) / r2)
            out[i, j] = f * x2
            pending, kept = True, f * x1
    for i in range(STATE_WORDS):
        state[i] = key[i]
    state[STATE_WORDS] = position
    cached[0], cached[1] = (1.0, kept) if pending else (0.0, 0.0)
