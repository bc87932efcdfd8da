#include "random_kernels.h"

#include <math.h>
#include <string.h>

/* Box-Muller for many draws at once, vectorizable: branch-free log and cos in double.

   Why the result is the scalar path's float bit for bit: the scalar path computes
   P = fl(sqrt(-2 L) * C) with L = libm log(u1), C = libm cos(t), t = fl(2 pi * u2), then rounds P to
   float. libm's log and cos are within a few units in the last place (glibc: about 0.5-1 ulp); the
   polynomials below (fdlibm's minimax coefficients) are within a few ulp too. So P and this kernel's
   P' differ by far less than E = |P'| 2^-40 + 2^-70 (the relative term covers about 2^13 ulp of
   disagreement; the absolute one covers the reduction's pi/2 being only 2^-86 accurate near the zeros
   of cos). When P' - E and P' + E round to the same float, so does P (rounding is monotonic) and the
   kernel writes it; otherwise (about 1 draw in 30,000, and every draw with u1 = 1, whose result is a
   signed zero) it writes NaN and the caller takes the scalar path. */

static const double kLn2Hi = 6.93147180369123816490e-01; /* 0x3fe62e42fee00000 */
static const double kLn2Lo = 1.90821492927058770002e-10; /* 0x3dea39ef35793c76 */
static const double kLg1 = 6.666666666666735130e-01;
static const double kLg2 = 3.999999999940941908e-01;
static const double kLg3 = 2.857142874366239149e-01;
static const double kLg4 = 2.222219843214978396e-01;
static const double kLg5 = 1.818357216161805012e-01;
static const double kLg6 = 1.531383769920937332e-01;
static const double kLg7 = 1.479819860511658591e-01;

static const double kTwoOverPi = 6.36619772367581382433e-01;
static const double kPio2Hi = 1.57079632673412561417e+00; /* first 33 bits of pi/2: k * kPio2Hi is exact */
static const double kPio2Lo = 6.07710050650619224932e-11; /* pi/2 - kPio2Hi */

static const double kS1 = -1.66666666666666324348e-01;
static const double kS2 = 8.33333333332248946124e-03;
static const double kS3 = -1.98412698298579493134e-04;
static const double kS4 = 2.75573137070700676789e-06;
static const double kS5 = -2.50507602534068634195e-08;
static const double kS6 = 1.58969099521155010221e-10;

static const double kC1 = 4.16666666666666019037e-02;
static const double kC2 = -1.38888888888741095749e-03;
static const double kC3 = 2.48015872894767294178e-05;
static const double kC4 = -2.75573143513906633035e-07;
static const double kC5 = 2.08757232129817482790e-09;
static const double kC6 = -1.13596475577881948265e-11;

static inline __attribute__((always_inline)) uint64_t double_bits(double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  return bits;
}

static inline __attribute__((always_inline)) double bits_double(uint64_t bits) {
  double x;
  memcpy(&x, &bits, sizeof x);
  return x;
}

/* log(x) for normal positive x (fdlibm's e_log.c without its special cases). */
static inline __attribute__((always_inline)) double log_positive(double x) {
  uint64_t bits = double_bits(x);
  int64_t exponent = (int64_t)(bits >> 52) - 1023;
  double m = bits_double((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL); /* [1, 2) */
  int big = m > 1.41421356237309504880;
  m = big ? 0.5 * m : m;
  double k = (double)(exponent + big);
  double f = m - 1; /* exact */
  double hfsq = 0.5 * f * f;
  double s = f / (2 + f);
  double z = s * s;
  double w = z * z;
  double t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  double t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  double r = t2 + t1;
  return k * kLn2Hi - ((hfsq - (s * (hfsq + r) + k * kLn2Lo)) - f);
}

/* cos(t) for 0 <= t < 2 pi + 1: quadrant k = round(t 2/pi), r = t - k pi/2 (the first subtraction is
   exact by Sterbenz), then +-cos(r) or +-sin(r) on |r| <= pi/4. */
static inline __attribute__((always_inline)) double cos_small(double t) {
  double k = nearbyint(t * kTwoOverPi);
  double r = (t - k * kPio2Hi) - k * kPio2Lo;
  double z = r * r;
  double sine = r + r * z * (kS1 + z * (kS2 + z * (kS3 + z * (kS4 + z * (kS5 + z * kS6)))));
  double cosine = (1 - 0.5 * z) + z * z * (kC1 + z * (kC2 + z * (kC3 + z * (kC4 + z * (kC5 + z * kC6)))));
  int64_t quadrant = (int64_t)k & 3;
  double value = (quadrant & 1) ? sine : cosine;
  return (quadrant == 1 || quadrant == 2) ? -value : value;
}

static inline __attribute__((always_inline)) size_t box_muller_body(
    const uint64_t *restrict words, float *restrict out, size_t count) {
  size_t ambiguous = 0;
  for (size_t i = 0; i < count; i++) {
    double u1 = ((double)(int64_t)(words[2 * i] >> 11) + 1) * 0x1p-53;
    double u2 = (double)(int64_t)(words[2 * i + 1] >> 11) * 0x1p-53;
    /* elementwise sqrt: correctly rounded like sqrt, without errno (which would stop vectorization) */
    double p = __builtin_elementwise_sqrt(-2 * log_positive(u1)) * cos_small(2 * 3.14159265358979323846 * u2);
    double bound = fabs(p) * 0x1p-40 + 0x1p-70;
    float low = (float)(p - bound);
    float high = (float)(p + bound);
    int sure = low == high;
    out[i] = sure ? low : __builtin_nanf("");
    ambiguous += !sure;
  }
  return ambiguous;
}

__attribute__((target("avx512f,avx512dq,avx512vl"))) static size_t box_muller_avx512(
    const uint64_t *words, float *out, size_t count) {
  return box_muller_body(words, out, count);
}

__attribute__((target("avx2,fma"))) static size_t box_muller_avx2(
    const uint64_t *words, float *out, size_t count) {
  return box_muller_body(words, out, count);
}

static size_t box_muller_portable(const uint64_t *words, float *out, size_t count) {
  return box_muller_body(words, out, count);
}

size_t random_kernels_box_muller(const uint64_t *words, float *out, size_t count) {
  /* Benign race: every thread computes the same answer. */
  static int level = -1;
  if (level < 0) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl")) {
      level = 2;
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
      level = 1;
    } else {
      level = 0;
    }
  }
  if (level == 2) return box_muller_avx512(words, out, count);
  if (level == 1) return box_muller_avx2(words, out, count);
  return box_muller_portable(words, out, count);
}
