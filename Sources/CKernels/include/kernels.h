#ifndef MOE_COURSE_KERNELS_H
#define MOE_COURSE_KERNELS_H

/* Element loops of the engine compiled for the widest vector unit this processor has (AVX-512,
   AVX2 or plain C), chosen once at run time. Every variant does the same IEEE operations in the
   same order per element, with no fused multiply-add contraction, so all give bit-identical results
   (and the same as the Swift loops they replace). */

/* One LSTM step's cell update for hidden units j = 0..<hidden, batch lanes b = 0..<batch.
   Rows are addressed as base + j * stride + b; the four gate blocks i, f, g, o follow each other
   every hidden * gate_stride floats. In place: the pre-activations become the activations
   i = sigmoid, f = sigmoid, g = tanh, o = sigmoid; then c = f * c_prev + i * g, tanh_c = tanh(c),
   h = o * tanh_c. */
void kernels_lstm_forward_cells(
    float *gates, long gate_stride, const float *previous_cells, float *cells, long state_stride,
    float *hiddens, float *tanh_cells, long tanh_stride, long hidden, long batch);

/* Back-propagation through one LSTM step's cell update (same addressing; the carries are [hidden, batch]):
   dh = d_output + dh_carry; dc = dc_carry + dh * o * (1 - tanh_c^2);
   di = dc * g * i (1 - i); df = dc * c_prev * f (1 - f); dg = dc * i * (1 - g^2);
   do = dh * tanh_c * o (1 - o); dc_carry = dc * f.
   prefetch_offset: where the next call's lanes lie relative to these (-batch for the step before,
   0 at the first step); they are prefetched, which changes no result. */
void kernels_lstm_backward_cells(
    const float *gates, float *gate_gradients, long gate_stride, const float *tanh_cells,
    const float *previous_cells, long state_stride, const float *output_gradients, float *hidden_carry,
    float *cell_carry, long hidden, long batch, long prefetch_offset);

/* The lanes of the variant that runs: 16 (AVX-512), 8 (AVX2) or 4 (SSE2 or NEON). */
int kernels_vector_width(void);

/* Runs the variant of `width` lanes from now on, or the widest supported below it (tests compare the
   variants); returns the width chosen. Not thread-safe: call it before the loops run. */
int kernels_set_vector_width(int width);

#endif
