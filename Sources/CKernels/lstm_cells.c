#include "kernels.h"

/* No contraction of a * b + c into one fused multiply-add: every variant must round like the others
   and like the Swift code (which never contracts). */
#pragma clang fp contract(off)

#if defined(__x86_64__)
#define WIDTH 16
#define TARGET __attribute__((target("avx512f")))
#define NAME(x) x##_avx512
#include "lstm_cells_body.h"
#undef WIDTH
#undef TARGET
#undef NAME

#define WIDTH 8
#define TARGET __attribute__((target("avx2")))
#define NAME(x) x##_avx2
#include "lstm_cells_body.h"
#undef WIDTH
#undef TARGET
#undef NAME
#endif

/* Four lanes: SSE2 on every x86-64, NEON on arm64. */
#define WIDTH 4
#define TARGET
#define NAME(x) x##_portable
#include "lstm_cells_body.h"
#undef WIDTH
#undef TARGET
#undef NAME

static int width = 0;

static int widest_supported(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") ? 16 : __builtin_cpu_supports("avx2") ? 8 : 4;
#else
  return 4;
#endif
}

/* Relaxed atomics: a test may switch the width while another thread runs a loop, and every width
   gives the same results. */
int kernels_vector_width(void) {
  int current = __atomic_load_n(&width, __ATOMIC_RELAXED);
  if (current == 0) {
    current = widest_supported();
    __atomic_store_n(&width, current, __ATOMIC_RELAXED);
  }
  return current;
}

int kernels_set_vector_width(int requested) {
  int widest = widest_supported();
  int chosen = requested >= 16 && widest >= 16 ? 16 : requested >= 8 && widest >= 8 ? 8 : 4;
  __atomic_store_n(&width, chosen, __ATOMIC_RELAXED);
  return chosen;
}

void kernels_lstm_forward_cells(
    float *gates, long gate_stride, const float *previous_cells, float *cells, long state_stride,
    float *hiddens, float *tanh_cells, long tanh_stride, long hidden, long batch) {
  switch (kernels_vector_width()) {
#if defined(__x86_64__)
  case 16:
    lstm_forward_cells_avx512(
        gates, gate_stride, previous_cells, cells, state_stride, hiddens, tanh_cells, tanh_stride, hidden, batch);
    break;
  case 8:
    lstm_forward_cells_avx2(
        gates, gate_stride, previous_cells, cells, state_stride, hiddens, tanh_cells, tanh_stride, hidden, batch);
    break;
#endif
  default:
    lstm_forward_cells_portable(
        gates, gate_stride, previous_cells, cells, state_stride, hiddens, tanh_cells, tanh_stride, hidden, batch);
  }
}

void kernels_lstm_backward_cells(
    const float *gates, float *gate_gradients, long gate_stride, const float *tanh_cells,
    const float *previous_cells, long state_stride, const float *output_gradients, float *hidden_carry,
    float *cell_carry, long hidden, long batch, long prefetch_offset) {
  switch (kernels_vector_width()) {
#if defined(__x86_64__)
  case 16:
    lstm_backward_cells_avx512(
        gates, gate_gradients, gate_stride, tanh_cells, previous_cells, state_stride, output_gradients,
        hidden_carry, cell_carry, hidden, batch, prefetch_offset);
    break;
  case 8:
    lstm_backward_cells_avx2(
        gates, gate_gradients, gate_stride, tanh_cells, previous_cells, state_stride, output_gradients,
        hidden_carry, cell_carry, hidden, batch, prefetch_offset);
    break;
#endif
  default:
    lstm_backward_cells_portable(
        gates, gate_gradients, gate_stride, tanh_cells, previous_cells, state_stride, output_gradients,
        hidden_carry, cell_carry, hidden, batch, prefetch_offset);
  }
}
