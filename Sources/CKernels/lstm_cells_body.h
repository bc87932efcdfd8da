/* The LSTM cell loops for one vector width, included once per instruction set by lstm_cells.c with
   WIDTH, TARGET and NAME(x) defined. Mirrors FastMath.swift's vectorizable exp / sigmoid / tanh
   (Cephes' single-precision polynomials) operation for operation. */

typedef float NAME(vfloat) __attribute__((vector_size(WIDTH * 4)));
typedef int NAME(vint) __attribute__((vector_size(WIDTH * 4)));
typedef unsigned NAME(vuint) __attribute__((vector_size(WIDTH * 4)));
#define vfloat NAME(vfloat)
#define vint NAME(vint)
#define vuint NAME(vuint)

/* The first `count` lanes at `p`, zeros elsewhere. A whole vector is one unaligned load (a
   constant-size copy the compiler turns into one instruction); only the tail of a row copies lanes. */
TARGET static inline vfloat NAME(load)(const float *p, long count) {
  vfloat v = {0};
  if (count == WIDTH) {
    __builtin_memcpy(&v, p, sizeof v);
  } else {
    for (long lane = 0; lane < count; lane++) v[lane] = p[lane];
  }
  return v;
}

TARGET static inline void NAME(store)(vfloat v, float *p, long count) {
  if (count == WIDTH) {
    __builtin_memcpy(p, &v, sizeof v);
  } else {
    for (long lane = 0; lane < count; lane++) p[lane] = v[lane];
  }
}

/* mask ? a : b, lane by lane (mask lanes all ones or all zeros). */
TARGET static inline vfloat NAME(select)(vint mask, vfloat a, vfloat b) {
  return (vfloat)(((vuint)a & (vuint)mask) | ((vuint)b & ~(vuint)mask));
}

TARGET static inline vfloat NAME(exp)(vfloat x) {
  const vfloat low = -87.33654f - (vfloat){0};
  const vfloat high = 88.0f - (vfloat){0};
  vfloat clamped = NAME(select)(x < low, low, x);
  clamped = NAME(select)(clamped > high, high, clamped);
  vfloat shifted = clamped * 1.44269504f + 12582912.0f;
  vfloat n = shifted - 12582912.0f;
  vfloat r = (clamped - n * 0.693359375f) - n * -2.1219444e-4f;
  vfloat r2 = r * r;
  vfloat p = 1.98756915e-4f - (vfloat){0};
  p = p * r + 1.39819995e-3f;
  p = p * r + 8.3334519e-3f;
  p = p * r + 4.16657959e-2f;
  p = p * r + 0.166666655f;
  p = p * r + 0.50000001f;
  vfloat exp_r = p * r2 + r + 1.0f;
  vuint bits = (vuint)shifted;
  vfloat scale = (vfloat)((bits - 0x4B400000u + 127u) << 23);
  return exp_r * scale;
}

TARGET static inline vfloat NAME(sigmoid)(vfloat x) { return 1.0f / (1.0f + NAME(exp)(-x)); }

TARGET static inline vfloat NAME(tanh)(vfloat x) {
  vfloat magnitude = (vfloat)((vuint)x & 0x7FFFFFFFu);
  vuint sign_bits = (vuint)x & 0x80000000u;
  vfloat z = x * x;
  vfloat p = -5.70498872e-3f - (vfloat){0};
  p = p * z + 2.06390888e-2f;
  p = p * z - 5.37397156e-2f;
  p = p * z + 0.133314422f;
  p = p * z - 0.333332819f;
  vfloat small = p * z * x + x;
  vfloat large = 1.0f - 2.0f / (NAME(exp)(2.0f * magnitude) + 1.0f);
  vfloat signed_large = (vfloat)((vuint)large | sign_bits);
  return NAME(select)(magnitude < 0.625f, small, signed_large);
}

TARGET static void NAME(lstm_forward_cells)(
    float *gates, long gate_stride, const float *previous_cells, float *cells, long state_stride,
    float *hiddens, float *tanh_cells, long tanh_stride, long hidden, long batch) {
  const long block = hidden * gate_stride;
  for (long j = 0; j < hidden; j++) {
    float *i = gates + j * gate_stride;
    float *f = i + block;
    float *g = f + block;
    float *o = g + block;
    const float *previous_cell = previous_cells + j * state_stride;
    float *cell = cells + j * state_stride;
    float *h = hiddens + j * state_stride;
    float *tanh_cell = tanh_cells + j * tanh_stride;
    for (long b = 0; b < batch; b += WIDTH) {
      long lanes = batch - b < WIDTH ? batch - b : WIDTH;
      vfloat iv = NAME(sigmoid)(NAME(load)(i + b, lanes));
      vfloat fv = NAME(sigmoid)(NAME(load)(f + b, lanes));
      vfloat gv = NAME(tanh)(NAME(load)(g + b, lanes));
      vfloat ov = NAME(sigmoid)(NAME(load)(o + b, lanes));
      vfloat c = fv * NAME(load)(previous_cell + b, lanes) + iv * gv;
      vfloat tc = NAME(tanh)(c);
      NAME(store)(iv, i + b, lanes);
      NAME(store)(fv, f + b, lanes);
      NAME(store)(gv, g + b, lanes);
      NAME(store)(ov, o + b, lanes);
      NAME(store)(c, cell + b, lanes);
      NAME(store)(tc, tanh_cell + b, lanes);
      NAME(store)(ov * tc, h + b, lanes);
    }
  }
}

TARGET static void NAME(lstm_backward_cells)(
    const float *gates, float *gate_gradients, long gate_stride, const float *tanh_cells,
    const float *previous_cells, long state_stride, const float *output_gradients, float *hidden_carry,
    float *cell_carry, long hidden, long batch, long prefetch_offset) {
  const long block = hidden * gate_stride;
  for (long j = 0; j < hidden; j++) {
    const long offset = j * gate_stride;
    const float *i = gates + offset;
    const float *f = i + block;
    const float *g = f + block;
    const float *o = g + block;
    float *di = gate_gradients + offset;
    float *df = di + block;
    float *dg = df + block;
    float *d_o = dg + block;
    const float *tanh_cell = tanh_cells + offset;
    const float *previous_cell = previous_cells + j * state_stride;
    const float *d_output = output_gradients + offset;
    float *d_hidden = hidden_carry + j * batch;
    float *d_cell = cell_carry + j * batch;
    /* The step before reads the lanes just before these in every row: fetch them now, a whole
       sweep over the hidden units ahead (they were written in the forward pass, long out of cache). */
    for (long b = 0; b < batch; b += 16) {
      const long ahead = b + prefetch_offset;
      __builtin_prefetch(i + ahead);
      __builtin_prefetch(f + ahead);
      __builtin_prefetch(g + ahead);
      __builtin_prefetch(o + ahead);
      __builtin_prefetch(tanh_cell + ahead);
      __builtin_prefetch(previous_cell + ahead);
      __builtin_prefetch(d_output + ahead);
      __builtin_prefetch(di + ahead, 1);
      __builtin_prefetch(df + ahead, 1);
      __builtin_prefetch(dg + ahead, 1);
      __builtin_prefetch(d_o + ahead, 1);
    }
    for (long b = 0; b < batch; b += WIDTH) {
      long lanes = batch - b < WIDTH ? batch - b : WIDTH;
      vfloat iv = NAME(load)(i + b, lanes);
      vfloat fv = NAME(load)(f + b, lanes);
      vfloat gv = NAME(load)(g + b, lanes);
      vfloat ov = NAME(load)(o + b, lanes);
      vfloat tc = NAME(load)(tanh_cell + b, lanes);
      vfloat dh = NAME(load)(d_output + b, lanes) + NAME(load)(d_hidden + b, lanes);
      vfloat dc = NAME(load)(d_cell + b, lanes) + dh * ov * (1.0f - tc * tc);
      NAME(store)(dc * gv * iv * (1.0f - iv), di + b, lanes);
      NAME(store)(dc * NAME(load)(previous_cell + b, lanes) * fv * (1.0f - fv), df + b, lanes);
      NAME(store)(dc * iv * (1.0f - gv * gv), dg + b, lanes);
      NAME(store)(dh * tc * ov * (1.0f - ov), d_o + b, lanes);
      NAME(store)(dc * fv, d_cell + b, lanes);
    }
  }
}

#undef vfloat
#undef vint
#undef vuint
