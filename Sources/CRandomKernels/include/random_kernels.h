#ifndef RANDOM_KERNELS_H
#define RANDOM_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Box-Muller in bulk: for i in 0..<count, from the two generator words words[2i] and words[2i+1],
///   u1 = ((words[2i] >> 11) + 1) * 2^-53,  u2 = (words[2i+1] >> 11) * 2^-53,
///   z  = Float(sqrt(-2 log(u1)) * cos(2 pi u2))     (in double, rounded once to float)
/// exactly as the scalar generator computes it with libm. The kernel evaluates log and cos with its
/// own polynomials and an error bound; it writes z only where every double within that bound rounds to
/// the same float (so libm's double result, which lies within it, rounds to z too). Elsewhere it writes
/// NaN, and the caller computes those draws with libm. Returns the number of NaNs written.
size_t random_kernels_box_muller(const uint64_t *words, float *out, size_t count);

#endif
