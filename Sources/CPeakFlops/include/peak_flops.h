#ifndef PEAK_FLOPS_H
#define PEAK_FLOPS_H

/// The widest fused multiply-add this processor has, in float lanes: 16 (AVX-512F), 8 (AVX2 + FMA),
/// or 0 (neither).
int peak_flops_vector_width(void);

/// Runs `iterations` rounds of twelve independent fused multiply-adds of the widest vectors
/// (12 * 2 * width flops a round) on one core and returns the elapsed seconds. Twelve accumulators
/// hide the FMA latency, so the loop runs at the core's FMA throughput: its peak single-precision
/// rate, the ceiling a GEMM can approach.
double peak_flops_fma_seconds(long iterations);

#endif
