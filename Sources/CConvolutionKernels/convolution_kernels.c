#include "convolution_kernels.h"

#include <immintrin.h>
#include <string.h>

/* Results must not depend on the path taken: no contraction of a * b + c into a fused multiply-add
   in any function of this file (the AVX-512 ones included), as in the Swift code they replace. */
#pragma STDC FP_CONTRACT OFF

static int has_avx512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}

/* ---- 2x2 max pooling, stride 2 ---------------------------------------------------------------- */

static int max_pool_2x2_portable(
    const float *x, float *y, int32_t *winner, long planes, long height, long width, long output_height,
    long output_width) {
  int saw_nan = 0;
  long output = 0;
  for (long plane = 0; plane < planes; plane++) {
    const float *source = x + plane * height * width;
    for (long oy = 0; oy < output_height; oy++) {
      long top_offset = 2 * oy * width;
      const float *top = source + top_offset;
      const float *bottom = top + width;
      for (long ox = 0; ox < output_width; ox++) {
        long column = 2 * ox;
        float a = top[column], b = top[column + 1], c = bottom[column], d = bottom[column + 1];
        float sum = a + b;
        sum = sum + c;
        sum = sum + d;
        if (sum != sum) saw_nan = 1;
        int right_on_top = b > a;
        float top_best = right_on_top ? b : a;
        long top_column = right_on_top ? column + 1 : column;
        int right_below = d > c;
        float bottom_best = right_below ? d : c;
        long bottom_column = right_below ? column + 1 : column;
        int lower = bottom_best > top_best;
        y[output] = lower ? bottom_best : top_best;
        winner[output] = (int32_t)(lower ? top_offset + width + bottom_column : top_offset + top_column);
        output++;
      }
    }
  }
  return !saw_nan;
}

/* 16 windows a step: the two rows' 32 floats are split into their even (left) and odd (right)
   columns, compared lane by lane with the same strict comparisons as the portable loop. Rows
   shorter than 16 windows use masked loads and stores, which never touch memory outside the row. */
__attribute__((target("avx512f"))) static int max_pool_2x2_avx512(
    const float *x, float *y, int32_t *winner, long planes, long height, long width, long output_height,
    long output_width) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i row_below = _mm512_set1_epi32((int)width);
  __mmask16 saw_nan = 0;
  for (long plane = 0; plane < planes; plane++) {
    const float *source = x + plane * height * width;
    for (long oy = 0; oy < output_height; oy++) {
      long top_offset = 2 * oy * width;
      const float *top = source + top_offset;
      const float *bottom = top + width;
      float *out = y + (plane * output_height + oy) * output_width;
      int32_t *wins = winner + (plane * output_height + oy) * output_width;
      for (long ox = 0; ox < output_width; ox += 16) {
        long n = output_width - ox < 16 ? output_width - ox : 16;
        long inputs = 2 * n;
        __mmask16 out_mask = (__mmask16)(n == 16 ? 0xFFFF : (1u << n) - 1);
        __mmask16 low_mask = (__mmask16)(inputs >= 16 ? 0xFFFF : (1u << inputs) - 1);
        __mmask16 high_mask = (__mmask16)(inputs <= 16 ? 0 : (inputs == 32 ? 0xFFFF : (1u << (inputs - 16)) - 1));
        const float *t = top + 2 * ox;
        const float *u = bottom + 2 * ox;
        __m512 top_low = _mm512_maskz_loadu_ps(low_mask, t);
        __m512 top_high = _mm512_maskz_loadu_ps(high_mask, t + 16);
        __m512 bottom_low = _mm512_maskz_loadu_ps(low_mask, u);
        __m512 bottom_high = _mm512_maskz_loadu_ps(high_mask, u + 16);
        __m512 a = _mm512_permutex2var_ps(top_low, even, top_high);
        __m512 b = _mm512_permutex2var_ps(top_low, odd, top_high);
        __m512 c = _mm512_permutex2var_ps(bottom_low, even, bottom_high);
        __m512 d = _mm512_permutex2var_ps(bottom_low, odd, bottom_high);
        __m512 sum = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a, b), c), d);
        saw_nan |= _mm512_mask_cmp_ps_mask(out_mask, sum, sum, _CMP_UNORD_Q);
        __mmask16 right_on_top = _mm512_cmp_ps_mask(b, a, _CMP_GT_OQ);
        __m512 top_best = _mm512_mask_blend_ps(right_on_top, a, b);
        __mmask16 right_below = _mm512_cmp_ps_mask(d, c, _CMP_GT_OQ);
        __m512 bottom_best = _mm512_mask_blend_ps(right_below, c, d);
        __mmask16 lower = _mm512_cmp_ps_mask(bottom_best, top_best, _CMP_GT_OQ);
        __m512 best = _mm512_mask_blend_ps(lower, top_best, bottom_best);
        __m512i column = _mm512_add_epi32(_mm512_set1_epi32((int)(top_offset + 2 * ox)), even);
        __m512i top_index = _mm512_mask_add_epi32(column, right_on_top, column, one);
        __m512i bottom_index = _mm512_mask_add_epi32(column, right_below, column, one);
        bottom_index = _mm512_add_epi32(bottom_index, row_below);
        __m512i index = _mm512_mask_blend_epi32(lower, top_index, bottom_index);
        _mm512_mask_storeu_ps(out + ox, out_mask, best);
        _mm512_mask_storeu_epi32(wins + ox, out_mask, index);
      }
    }
  }
  return saw_nan == 0;
}

int convolution_max_pool_2x2(
    const float *x, float *y, int32_t *winner, long planes, long height, long width, long output_height,
    long output_width) {
  if (has_avx512())
    return max_pool_2x2_avx512(x, y, winner, planes, height, width, output_height, output_width);
  return max_pool_2x2_portable(x, y, winner, planes, height, width, output_height, output_width);
}

static void max_pool_2x2_backward_portable(
    const float *g, const int32_t *winner, float *dx, long planes, long height, long width, long output_height,
    long output_width) {
  memset(dx, 0, sizeof(float) * (size_t)(planes * height * width));
  for (long plane = 0; plane < planes; plane++) {
    float *target = dx + plane * height * width;
    const float *gradient = g + plane * output_height * output_width;
    const int32_t *wins = winner + plane * output_height * output_width;
    for (long index = 0; index < output_height * output_width; index++) target[wins[index]] += gradient[index];
  }
}

/* Each window's four elements are written at once: 0 + g where the winner is, 0 elsewhere; the
   two rows' even and odd columns are interleaved back into place. */
__attribute__((target("avx512f"))) static void max_pool_2x2_backward_avx512(
    const float *g, const int32_t *winner, float *dx, long planes, long height, long width, long output_height,
    long output_width) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i interleave_low = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const __m512i interleave_high = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i row_below = _mm512_set1_epi32((int)width);
  const __m512 zero = _mm512_setzero_ps();
  for (long plane = 0; plane < planes; plane++) {
    float *target = dx + plane * height * width;
    for (long oy = 0; oy < output_height; oy++) {
      long top_offset = 2 * oy * width;
      float *top = target + top_offset;
      float *bottom = top + width;
      const float *gradient = g + (plane * output_height + oy) * output_width;
      const int32_t *wins = winner + (plane * output_height + oy) * output_width;
      for (long ox = 0; ox < output_width; ox += 16) {
        long n = output_width - ox < 16 ? output_width - ox : 16;
        long inputs = 2 * n;
        __mmask16 out_mask = (__mmask16)(n == 16 ? 0xFFFF : (1u << n) - 1);
        __mmask16 low_mask = (__mmask16)(inputs >= 16 ? 0xFFFF : (1u << inputs) - 1);
        __mmask16 high_mask = (__mmask16)(inputs <= 16 ? 0 : (inputs == 32 ? 0xFFFF : (1u << (inputs - 16)) - 1));
        __m512 value = _mm512_add_ps(zero, _mm512_maskz_loadu_ps(out_mask, gradient + ox));
        __m512i index = _mm512_maskz_loadu_epi32(out_mask, wins + ox);
        __m512i column = _mm512_add_epi32(_mm512_set1_epi32((int)(top_offset + 2 * ox)), even);
        __m512i column_below = _mm512_add_epi32(column, row_below);
        __m512 a = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(index, column), value);
        __m512 b = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(index, _mm512_add_epi32(column, one)), value);
        __m512 c = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(index, column_below), value);
        __m512 d = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(index, _mm512_add_epi32(column_below, one)), value);
        _mm512_mask_storeu_ps(top + 2 * ox, low_mask, _mm512_permutex2var_ps(a, interleave_low, b));
        _mm512_mask_storeu_ps(top + 2 * ox + 16, high_mask, _mm512_permutex2var_ps(a, interleave_high, b));
        _mm512_mask_storeu_ps(bottom + 2 * ox, low_mask, _mm512_permutex2var_ps(c, interleave_low, d));
        _mm512_mask_storeu_ps(bottom + 2 * ox + 16, high_mask, _mm512_permutex2var_ps(c, interleave_high, d));
      }
      if (width > 2 * output_width) {
        /* The odd last column belongs to no window. */
        top[width - 1] = 0;
        bottom[width - 1] = 0;
      }
    }
    if (height > 2 * output_height) {
      memset(target + 2 * output_height * width, 0, sizeof(float) * (size_t)((height - 2 * output_height) * width));
    }
  }
}

void convolution_max_pool_2x2_backward_write(
    const float *g, const int32_t *winner, float *dx, long planes, long height, long width, long output_height,
    long output_width) {
  if (has_avx512())
    max_pool_2x2_backward_avx512(g, winner, dx, planes, height, width, output_height, output_width);
  else
    max_pool_2x2_backward_portable(g, winner, dx, planes, height, width, output_height, output_width);
}

/* ---- relu ------------------------------------------------------------------------------------- */

__attribute__((target("avx512f"))) static void relu_avx512(const float *x, float *y, long count) {
  const __m512 zero = _mm512_setzero_ps();
  for (long i = 0; i < count; i += 16) {
    __mmask16 mask = (__mmask16)(count - i >= 16 ? 0xFFFF : (1u << (count - i)) - 1);
    __m512 v = _mm512_maskz_loadu_ps(mask, x + i);
    __mmask16 positive = _mm512_cmp_ps_mask(v, zero, _CMP_GT_OQ);
    __m512 r = _mm512_mask_blend_ps(positive, _mm512_mul_ps(zero, v), v);
    _mm512_mask_storeu_ps(y + i, mask, r);
  }
}

void convolution_relu(const float *x, float *y, long count) {
  if (has_avx512()) {
    relu_avx512(x, y, count);
    return;
  }
  for (long i = 0; i < count; i++) {
    float v = x[i];
    y[i] = v > 0 ? v : 0.0f * v;
  }
}

__attribute__((target("avx512f"))) static void relu_backward_avx512(
    const float *g, const float *x, float *dx, long count, int accumulate) {
  const __m512 zero = _mm512_setzero_ps();
  const __m512 ones = _mm512_set1_ps(1.0f);
  for (long i = 0; i < count; i += 16) {
    __mmask16 mask = (__mmask16)(count - i >= 16 ? 0xFFFF : (1u << (count - i)) - 1);
    __m512 v = _mm512_maskz_loadu_ps(mask, x + i);
    __m512 derivative = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v, zero, _CMP_GT_OQ), ones);
    __m512 product = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, g + i), derivative);
    if (accumulate) product = _mm512_add_ps(_mm512_maskz_loadu_ps(mask, dx + i), product);
    _mm512_mask_storeu_ps(dx + i, mask, product);
  }
}

void convolution_relu_backward(const float *g, const float *x, float *dx, long count, int accumulate) {
  if (has_avx512()) {
    relu_backward_avx512(g, x, dx, count, accumulate);
    return;
  }
  for (long i = 0; i < count; i++) {
    float product = g[i] * (x[i] > 0 ? 1.0f : 0.0f);
    dx[i] = accumulate ? dx[i] + product : product;
  }
}

/* ---- convolution bias gradient ---------------------------------------------------------------- */

void convolution_row_sums(const float *x, long rows, long length, float *sums) {
  long r = 0;
  /* Eight rows at a time: eight independent chains of additions keep the adder busy, where one
     chain waits for each addition to finish; each row's own order stays 0 + x0 + x1 + ... */
  for (; r + 8 <= rows; r += 8) {
    const float *p = x + r * length;
    float t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
    for (long i = 0; i < length; i++) {
      t0 += p[i];
      t1 += p[length + i];
      t2 += p[2 * length + i];
      t3 += p[3 * length + i];
      t4 += p[4 * length + i];
      t5 += p[5 * length + i];
      t6 += p[6 * length + i];
      t7 += p[7 * length + i];
    }
    sums[r] = t0;
    sums[r + 1] = t1;
    sums[r + 2] = t2;
    sums[r + 3] = t3;
    sums[r + 4] = t4;
    sums[r + 5] = t5;
    sums[r + 6] = t6;
    sums[r + 7] = t7;
  }
  for (; r < rows; r++) {
    const float *p = x + r * length;
    float total = 0;
    for (long i = 0; i < length; i++) total += p[i];
    sums[r] = total;
  }
}

/* ---- 3x3 convolution of a single-channel image ------------------------------------------------ */

/* The nine shifted copies of 16 output positions' neighbourhoods are loaded once (zeros outside
   the image) and reused by every output channel; each output is the chain
   acc = fma(w[o][t], x_t, acc) over t = 0..8 from acc = +0, then bias + acc, the arithmetic (and
   order) of OpenBLAS's sgemm on the im2col matrix, which this replaces. */
__attribute__((target("avx512f"))) static void single_channel_3x3_avx512(
    const float *image, long height, long width, long padding, const float *weight, const float *bias,
    long out_channels, float *output) {
  long output_height = height + 2 * padding - 2;
  long output_width = width + 2 * padding - 2;
  long plane = output_height * output_width;
  const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (long oy = 0; oy < output_height; oy++) {
    for (long ox = 0; ox < output_width; ox += 16) {
      long n = output_width - ox < 16 ? output_width - ox : 16;
      __mmask16 out_mask = (__mmask16)(n == 16 ? 0xFFFF : (1u << n) - 1);
      __m512 taps[9];
      for (int i = 0; i < 3; i++) {
        long y = oy - padding + i;
        for (int j = 0; j < 3; j++) {
          if (y < 0 || y >= height) {
            taps[i * 3 + j] = _mm512_setzero_ps();
            continue;
          }
          /* Lane l reads column ox + l - p + j when it lies inside 0..<W (masked loads never touch
             the masked-off addresses). */
          long first = ox - padding + j;
          __m512i column = _mm512_add_epi32(_mm512_set1_epi32((int)first), lanes);
          __mmask16 inside = _mm512_cmpge_epi32_mask(column, _mm512_setzero_si512())
                             & _mm512_cmplt_epi32_mask(column, _mm512_set1_epi32((int)width)) & out_mask;
          taps[i * 3 + j] = _mm512_maskz_loadu_ps(inside, image + y * width + first);
        }
      }
      float *target = output + oy * output_width + ox;
      for (long o = 0; o < out_channels; o++) {
        const float *w = weight + o * 9;
        __m512 acc = _mm512_setzero_ps();
        for (int t = 0; t < 9; t++) acc = _mm512_fmadd_ps(_mm512_set1_ps(w[t]), taps[t], acc);
        if (bias) acc = _mm512_add_ps(_mm512_set1_ps(bias[o]), acc);
        _mm512_mask_storeu_ps(target + o * plane, out_mask, acc);
      }
    }
  }
}

int convolution_single_channel_3x3(
    const float *image, long height, long width, long padding, const float *weight, const float *bias,
    long out_channels, float *output) {
  if (!has_avx512()) return 0;
  single_channel_3x3_avx512(image, height, width, padding, weight, bias, out_channels, output);
  return 1;
}

int convolution_kernels_use_avx512(void) { return has_avx512(); }
