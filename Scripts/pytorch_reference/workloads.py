"""The benchmark workloads W1-W7 and GEMM, as the Swift benchmark defines them (see README.md).

Each workload is a function `(results, threads, quick)` that writes flat keys
`<workload>.<metric>.T<threads>` into `results`; the keys are the ones the Swift suite writes (W4's
sorted sparse variant is `sparse_sorted` here and `sparse` there), so `Scripts/bench_compare.py` can
pair them.
"""
import math
import statistics
import time

import torch
import torch.nn.functional as F

from models import ConvolutionMixture, DenseMixture, HierarchicalMixture, LSTMMixture, TopKMixture
from timing import count_dispatched_operations, measure, record_ms


def use_threads(threads):
    torch.set_num_threads(threads)
    if torch.get_num_threads() != threads:
        raise RuntimeError(f"torch runs {torch.get_num_threads()} threads, asked for {threads}")


def adam_step(model, optimizer, loss_of_model):
    """One training step: zero_grad(set_to_none), loss, backward, Adam step."""
    def step():
        optimizer.zero_grad(set_to_none=True)
        loss_of_model().backward()
        optimizer.step()
    return step


def training_step_metrics(results, threads, quick, name, model, loss_of_model, inference_input=None):
    """The shared measurements of a small model: the step (default Adam, and the foreach and fused
    Adam variants a tuned user could pick), its forward/backward/optimizer split, the no-grad
    forward on `inference_input`, the operation count of one step and the parameter count."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = adam_step(model, optimizer, loss_of_model)
    timing = measure(step, warmup=10, repeats=5 if quick else 9, min_time=0.05 if quick else 0.15)
    record_ms(results, f"{name}.train_step_ms", timing, threads)

    steps = int(min(50 if quick else 200, max(20, (0.5 if quick else 1.5) / timing["median"])))
    forward, backward, update = [], [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of_model()
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        optimizer.step()
        t3 = time.perf_counter()
        forward.append(t1 - t0)
        backward.append(t2 - t1)
        update.append(t3 - t2)
    for part, times in (("fwd", forward), ("bwd", backward), ("adam", update)):
        results[f"{name}.{part}_ms.T{threads}"] = round(statistics.median(times) * 1e3, 6)

    for variant in ("foreach", "fused"):
        try:
            other = torch.optim.Adam(model.parameters(), lr=1e-3, **{variant: True})
        except Exception as error:  # depends on the torch version
            results[f"{name}.train_step_adam_{variant}_ms.T{threads}"] = f"unavailable: {error}"
            continue
        timing = measure(adam_step(model, other, loss_of_model), warmup=5, repeats=5,
                         min_time=0.05 if quick else 0.1)
        record_ms(results, f"{name}.train_step_adam_{variant}_ms", timing, threads)

    if inference_input is not None:
        with torch.no_grad():
            timing = measure(lambda: model(inference_input), warmup=20, repeats=5 if quick else 9,
                             min_time=0.05 if quick else 0.1)
        record_ms(results, f"{name}.infer_b{inference_input.shape[0]}_ms", timing, threads)
    if threads == 1:
        results[f"{name}.aten_ops_per_train_step"] = count_dispatched_operations(step)
    results[f"{name}.n_params"] = sum(p.numel() for p in model.parameters())


def w1_introduction(results, threads, quick):
    """W1: 3 experts 10-20-5 and a gate Linear(10, 3); batch 64, MSE; inference at batch 1 and 64."""
    use_threads(threads)
    torch.manual_seed(0)
    model = DenseMixture(10, 20, 5, 3)
    x, target, single = torch.randn(64, 10), torch.randn(64, 5), torch.randn(1, 10)
    training_step_metrics(results, threads, quick, "W1", model, lambda: F.mse_loss(model(x), target), single)
    with torch.no_grad():
        timing = measure(lambda: model(x), warmup=20, repeats=5 if quick else 9, min_time=0.05 if quick else 0.1)
    record_ms(results, "W1.infer_b64_ms", timing, threads)


def _sum_of_squares_run(epochs):
    """W2's loop: each epoch draws X ~ N(0, 1) [1000, 10], y = sum(X^2) [1000, 1], one full-batch Adam
    step. Returns the loss of each epoch (before its update) and each epoch's wall time."""
    torch.manual_seed(0)
    model = DenseMixture(10, 32, 1, 5)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses, times = [], []
    for _ in range(epochs):
        start = time.perf_counter()
        x = torch.randn(1000, 10)
        y = (x ** 2).sum(dim=1, keepdim=True)
        optimizer.zero_grad(set_to_none=True)
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
        losses.append(loss.item())
    return losses, times


def w2_sum_of_squares(results, threads, quick):
    use_threads(threads)
    tag = f"T{threads}"
    _sum_of_squares_run(20)  # warm-up: allocator and lazy initialisation
    start = time.perf_counter()
    losses, times = _sum_of_squares_run(100)
    results[f"W2.run100_total_s.{tag}"] = round(time.perf_counter() - start, 6)
    results[f"W2.run100_epoch_ms_median.{tag}"] = round(statistics.median(times) * 1e3, 6)
    for epoch in (0, 10, 50, 99):
        results[f"W2.loss_epoch{epoch}.{tag}"] = round(losses[epoch], 6)
    epochs = 500 if quick else 2000
    start, cpu_start = time.perf_counter(), time.process_time()
    losses, times = _sum_of_squares_run(epochs)
    results[f"W2.run{epochs}_total_s.{tag}"] = round(time.perf_counter() - start, 6)
    results[f"W2.epoch_ms_cpu.{tag}"] = round((time.process_time() - cpu_start) / epochs * 1e3, 6)
    results[f"W2.epoch_ms.{tag}"] = round(statistics.median(times) * 1e3, 6)
    results[f"W2.epoch_ms_min.{tag}"] = round(min(times) * 1e3, 6)
    results[f"W2.run{epochs}_final_loss.{tag}"] = round(losses[-1], 6)
    results[f"W2.run{epochs}_loss_mean_last100.{tag}"] = round(sum(losses[-100:]) / 100, 6)
    record_ms(results, "W2.datagen_ms", measure(lambda: torch.randn(1000, 10), warmup=10, repeats=7), threads)


def quadrant_target(x):
    """One regime per quadrant of [-1, 1]^2: x1 + x2 (Q1), sin(2 pi x1) (Q2), x1 x2 (Q3), -1 (Q4)."""
    x1, x2 = x[..., 0], x[..., 1]
    right, top = x1 >= 0, x2 >= 0
    y = torch.where(right & top, x1 + x2,
                    torch.where(~right & top, torch.sin(2 * math.pi * x1),
                                torch.where(~right & ~top, x1 * x2, torch.full_like(x1, -1.0))))
    return y.unsqueeze(-1)


def w3_regions(results, threads, quick):
    """W3: 4 experts 2-20-1, batch 256 of pre-drawn points, per-step time; the gate's arg-max and the
    full forward on a 400 x 400 grid."""
    use_threads(threads)
    tag = f"T{threads}"
    steps = 500 if quick else 2000
    torch.manual_seed(0)
    model = DenseMixture(2, 20, 1, 4)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    inputs = torch.rand(steps, 256, 2) * 2 - 1
    targets = quadrant_target(inputs)
    test_inputs = torch.rand(4096, 2) * 2 - 1
    test_targets = quadrant_target(test_inputs)
    warm = DenseMixture(2, 20, 1, 4)  # warm-up on a copy, so the timed run starts from the seeded model
    warm_optimizer = torch.optim.Adam(warm.parameters(), lr=1e-3)
    for i in range(50):
        warm_optimizer.zero_grad(set_to_none=True)
        F.mse_loss(warm(inputs[i]), targets[i]).backward()
        warm_optimizer.step()
    times = []
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(steps):
        t0 = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        F.mse_loss(model(inputs[i]), targets[i]).backward()
        optimizer.step()
        times.append(time.perf_counter() - t0)
    results[f"W3.run{steps}_total_s.{tag}"] = round(time.perf_counter() - start, 6)
    results[f"W3.train_step_ms_cpu.{tag}"] = round((time.process_time() - cpu_start) / steps * 1e3, 6)
    results[f"W3.train_step_ms.{tag}"] = round(statistics.median(times) * 1e3, 6)
    results[f"W3.train_step_ms_min.{tag}"] = round(min(times) * 1e3, 6)
    with torch.no_grad():
        results[f"W3.test_mse_after_{steps}.{tag}"] = round(F.mse_loss(model(test_inputs), test_targets).item(), 6)
        results[f"W3.test_mse_at_init_baseline_var.{tag}"] = round(test_targets.var().item(), 6)
        line = torch.linspace(-1, 1, 400)
        gx, gy = torch.meshgrid(line, line, indexing="xy")
        grid = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
        winners = lambda: torch.softmax(model.gate(grid), dim=-1).argmax(dim=1)
        record_ms(results, "W3.grid_gate_argmax_ms", measure(winners, warmup=3, repeats=7, min_time=0.1), threads)
        record_ms(results, "W3.grid_full_forward_ms", measure(lambda: model(grid), warmup=2, repeats=5, min_time=0.1),
                  threads)
        counts = torch.bincount(winners(), minlength=4).tolist()
        results[f"W3.grid_expert_share.{tag}"] = [round(c / grid.shape[0], 4) for c in counts]
    results["W3.n_params"] = sum(p.numel() for p in model.parameters())


def w4_sparse(results, threads, quick):
    """W4: top-k mixtures of experts 256-512-256 on 1024 tokens (x requires grad, as inside a
    network), forward + backward with MSE, no optimizer; E in {8, 32, 64} ({8, 32} quick), k in {1, 2}.
    FLOPs: a (token, expert) pair costs 2 (256 512 + 512 256) forward; forward + backward counts 3x."""
    use_threads(threads)
    tag = f"T{threads}"
    width, hidden, tokens = 256, 512, 1024
    pair_flops = 2 * (width * hidden + hidden * width)
    for experts in ((8, 32) if quick else (8, 32, 64)):
        for k in (1, 2):
            torch.manual_seed(0)
            model = TopKMixture(width, hidden, experts, k)
            x = torch.randn(tokens, width, requires_grad=True)
            target = torch.randn(tokens, width)
            gate_flops = 2 * tokens * width * experts
            useful = 3 * (tokens * k * pair_flops + gate_flops)
            every_expert = 3 * (tokens * experts * pair_flops + gate_flops)
            prefix = f"W4.E{experts}.k{k}"
            results[f"{prefix}.flops_useful"] = useful
            results[f"{prefix}.flops_all_experts"] = every_expert
            if threads == 1:
                with torch.no_grad():
                    _, chosen = model.route(x)
                    load = torch.bincount(chosen.reshape(-1), minlength=experts)
                    results[f"{prefix}.tokens_per_expert_min_max"] = [int(load.min()), int(load.max())]
                    naive = model.forward_naive(x)
                    difference = max((naive - model.forward_sparse_mask(x)).abs().max(),
                                     (naive - model.forward_sparse_sorted(x)).abs().max())
                    results[f"{prefix}.max_abs_diff_sparse_vs_naive"] = float(difference)
            variants = [("naive", model.forward_naive, every_expert),
                        ("sparse_mask", model.forward_sparse_mask, useful),
                        ("sparse_sorted", model.forward_sparse_sorted, useful)]
            if experts == 8 and k == 1:
                variants.append(("dense_all_softmax", model.forward_dense, every_expert))
            for name, forward, flops in variants:
                def step(forward=forward):
                    model.zero_grad(set_to_none=True)
                    x.grad = None
                    F.mse_loss(forward(x), target).backward()
                if name in ("naive", "dense_all_softmax"):
                    timing = measure(step, warmup=1, repeats=2 if quick else 3, min_time=0.0)
                else:
                    timing = measure(step, warmup=2, repeats=3 if quick else 5, min_time=0.1 if quick else 0.3)
                record_ms(results, f"{prefix}.{name}.fwd_bwd_ms", timing, threads)
                results[f"{prefix}.{name}.gflops_executed.{tag}"] = round(flops / timing["median"] / 1e9, 3)
                results[f"{prefix}.{name}.gflops_useful.{tag}"] = round(useful / timing["median"] / 1e9, 3)


def w5_lstm_experts(results, threads, quick):
    """W5: the LSTM mixture on a batch of 32 random sequences of 20 tokens, cross-entropy."""
    use_threads(threads)
    torch.manual_seed(0)
    model = LSTMMixture()
    tokens = torch.randint(0, 10000, (32, 20))
    labels = torch.randint(0, 3, (32,))
    training_step_metrics(results, threads, quick, "W5", model, lambda: F.cross_entropy(model(tokens), labels), tokens)


def w6_convolution_experts(results, threads, quick):
    """W6: the convolution mixture on 64 random images, 28x28 and 8x8, cross-entropy."""
    use_threads(threads)
    for side in (28, 8):
        torch.manual_seed(0)
        model = ConvolutionMixture(side)
        images = torch.randn(64, 1, side, side)
        labels = torch.randint(0, 10, (64,))
        training_step_metrics(results, threads, quick, f"W6.{side}x{side}", model,
                              lambda: F.cross_entropy(model(images), labels), images)


def w7_hierarchical(results, threads, quick):
    """W7: the two-level mixture on a batch of 64, MSE; inference at batch 1."""
    use_threads(threads)
    torch.manual_seed(0)
    model = HierarchicalMixture()
    x, target = torch.randn(64, 10), torch.randn(64, 5)
    training_step_metrics(results, threads, quick, "W7", model, lambda: F.mse_loss(model(x), target),
                          torch.randn(1, 10))


def gemm(results, threads, quick):
    """GEMM: torch.mm of square float32 matrices; GFLOP/s = 2 n^3 / median time."""
    use_threads(threads)
    torch.manual_seed(0)
    for n in (256, 512, 1024, 2048):
        a, b, c = torch.randn(n, n), torch.randn(n, n), torch.empty(n, n)
        timing = measure(lambda: torch.mm(a, b, out=c), warmup=2, repeats=5, min_time=0.1 if quick else 0.25)
        results[f"GEMM.torch.n{n}.gflops.T{threads}"] = round(2 * n ** 3 / timing["median"] / 1e9, 2)
        results[f"GEMM.torch.n{n}.ms.T{threads}"] = round(timing["median"] * 1e3, 6)


WORKLOADS = {
    "W1": w1_introduction,
    "W2": w2_sum_of_squares,
    "W3": w3_regions,
    "W4": w4_sparse,
    "W5": w5_lstm_experts,
    "W6": w6_convolution_experts,
    "W7": w7_hierarchical,
    "GEMM": gemm,
}
