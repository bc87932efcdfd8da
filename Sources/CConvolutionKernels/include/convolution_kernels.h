#ifndef CONVOLUTION_KERNELS_H
#define CONVOLUTION_KERNELS_H

#include <stdint.h>

/// 2x2 max pooling with stride 2 and no padding over `planes` planes of `height` x `width` floats:
/// y = max(a, b, c, d) with a, b the window's top row and c, d its bottom row, the first maximum in
/// row-major order winning ties (strictly greater replaces), and `winner` the offset of that element
/// within its plane. An odd last row or column belongs to no window. Returns 0 when some window's
/// sum ((a + b) + c) + d is NaN (a NaN, or infinities of both signs), whose result the caller must
/// compute another way; 1 otherwise. Every output and winner is written either way.
int convolution_max_pool_2x2(
    const float *x, float *y, int32_t *winner, long planes, long height, long width, long output_height,
    long output_width);

/// The gradient of `convolution_max_pool_2x2`, written rather than added: dx = 0 + g at each window's
/// winner and 0 everywhere else (the odd last row and column included), every element of the
/// `planes * height * width` floats of dx written.
void convolution_max_pool_2x2_backward_write(
    const float *g, const int32_t *winner, float *dx, long planes, long height, long width, long output_height,
    long output_width);

/// relu as the engine defines it: y = x if x > 0, else 0 * x (so -0 for negative x, NaN for NaN and -inf).
void convolution_relu(const float *x, float *y, long count);

/// relu's backward: dx = g * d (accumulate == 0) or dx += g * d (accumulate != 0), d = 1 if x > 0
/// else 0, one rounding per multiply and per add (no fused multiply-add).
void convolution_relu_backward(const float *g, const float *x, float *dx, long count, int accumulate);

/// sums[r] = 0 + x[r][0] + x[r][1] + ... + x[r][length - 1], added left to right (one rounding per
/// addition, in that order), for each of `rows` contiguous rows of `length` floats.
void convolution_row_sums(const float *x, long rows, long length, float *sums);

/// 3x3 convolution (cross-correlation) of one single-channel image [height, width] with stride 1 and
/// `padding` zeros on each side: output[o][oy][ox] = bias[o] + (sum over t = 3i + j of
/// weight[o][t] * x[oy - p + i][ox - p + j]), the sum a chain of fused multiply-adds in t order from
/// +0 (no bias term when bias is NULL); output is [out_channels, height + 2p - 2, width + 2p - 2].
/// Returns 1, or 0 without writing anything when the processor lacks AVX-512 (the caller then
/// multiplies the im2col matrix with sgemm, which gives these bits).
int convolution_single_channel_3x3(
    const float *image, long height, long width, long padding, const float *weight, const float *bias,
    long out_channels, float *output);

/// 1 when this processor runs the AVX-512 kernels (a kernel's result may then differ from the
/// fallback's only where its comment says so), 0 when the portable code runs.
int convolution_kernels_use_avx512(void);

#endif
