#include "peak_flops.h"

#include <immintrin.h>
#include <time.h>

int peak_flops_vector_width(void) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return 16;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 8;
  return 0;
}

static double now_seconds(void) {
  struct timespec time;
  clock_gettime(CLOCK_MONOTONIC, &time);
  return (double)time.tv_sec + (double)time.tv_nsec * 1e-9;
}

/* Each kernel is compiled for its instruction set alone, so the rest of the package keeps the
   default target. */
__attribute__((target("avx512f"))) static double fma512_seconds(long iterations) {
  const __m512 a = _mm512_set1_ps(0.999999f);
  const __m512 b = _mm512_set1_ps(1e-7f);
  __m512 acc[12];
  for (int i = 0; i < 12; i++) acc[i] = _mm512_set1_ps((float)i);
  double start = now_seconds();
  for (long n = 0; n < iterations; n++) {
    for (int i = 0; i < 12; i++) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  double elapsed = now_seconds() - start;
  __m512 total = acc[0];
  for (int i = 1; i < 12; i++) total = _mm512_add_ps(total, acc[i]);
  volatile float sink = _mm512_reduce_add_ps(total);
  (void)sink;
  return elapsed;
}

__attribute__((target("avx2,fma"))) static double fma256_seconds(long iterations) {
  const __m256 a = _mm256_set1_ps(0.999999f);
  const __m256 b = _mm256_set1_ps(1e-7f);
  __m256 acc[12];
  for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_ps((float)i);
  double start = now_seconds();
  for (long n = 0; n < iterations; n++) {
    acc[0] = _mm256_fmadd_ps(acc[0], a, b);
    acc[1] = _mm256_fmadd_ps(acc[1], a, b);
    acc[2] = _mm256_fmadd_ps(acc[2], a, b);
    acc[3] = _mm256_fmadd_ps(acc[3], a, b);
    acc[4] = _mm256_fmadd_ps(acc[4], a, b);
    acc[5] = _mm256_fmadd_ps(acc[5], a, b);
    acc[6] = _mm256_fmadd_ps(acc[6], a, b);
    acc[7] = _mm256_fmadd_ps(acc[7], a, b);
    acc[8] = _mm256_fmadd_ps(acc[8], a, b);
    acc[9] = _mm256_fmadd_ps(acc[9], a, b);
    acc[10] = _mm256_fmadd_ps(acc[10], a, b);
    acc[11] = _mm256_fmadd_ps(acc[11], a, b);
  }
  double elapsed = now_seconds() - start;
  /* Keep the accumulators alive so the loop is not removed. */
  __m256 total = acc[0];
  for (int i = 1; i < 12; i++) total = _mm256_add_ps(total, acc[i]);
  float lanes[8];
  _mm256_storeu_ps(lanes, total);
  volatile float sink = lanes[0];
  (void)sink;
  return elapsed;
}

double peak_flops_fma_seconds(long iterations) {
  switch (peak_flops_vector_width()) {
    case 16: return fma512_seconds(iterations);
    case 8: return fma256_seconds(iterations);
    default: return 0;
  }
}
