#!/usr/bin/env python3
"""Runs the Swift benchmarks and the PyTorch reference suite in alternation and compares them.

Each round runs, for every selected workload, the Swift suite then the PyTorch suite, each in its
own process (so the peak RSS of a process is that workload's). Per metric it prints the Swift
median, the PyTorch median (both over rounds) and the ratio Swift / PyTorch as the median of the
per-round ratios. Python standard library only.

    python3 Scripts/bench_compare.py --swift-bin PATH --pytorch-dir DIR --python PY \
        [--only W1,W4] [--threads 1] [--rounds 3] [--quick] [--out-dir .bench]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

DEFAULT_WORKLOADS = "W1,W2,W3,W4,W5,W6,W7,GEMM"

# (Swift key without the thread suffix, PyTorch key, target on the ratio Swift / PyTorch, label,
#  Swift and PyTorch keys of the process CPU time per call, a ratio robust to other processes at T1).
# The targets of the performance issue; W1's step is against PyTorch's fused Adam (its fastest
# optimizer variant), W4's against the faster of PyTorch's two sparse variants (sorted or mask).
TARGETS = [
    ("W1.train_step_ms", "W1.train_step_adam_fused_ms", 0.05, "W1 train step vs fused Adam",
     "W1.train_step_ms_cpu", "W1.train_step_adam_fused_ms_cpu"),
    ("W1.infer_b1_ms", "W1.infer_b1_ms", 0.05, "W1 inference, batch 1", "W1.infer_b1_ms_cpu", "W1.infer_b1_ms_cpu"),
    ("W2.run100_epoch_ms_median", "W2.run100_epoch_ms_median", 0.15, "W2 epoch", "W2.epoch_ms_cpu", "W2.epoch_ms_cpu"),
    ("W3.train_step_ms", "W3.train_step_ms", 0.05, "W3 train step", "W3.train_step_ms_cpu", "W3.train_step_ms_cpu"),
    ("W3.grid_gate_argmax_ms", "W3.grid_gate_argmax_ms", 0.5, "W3 gate arg-max, 400x400 grid",
     "W3.grid_gate_argmax_ms_cpu", "W3.grid_gate_argmax_ms_cpu"),
    ("W4.E64.k2.sparse.fwd_bwd_ms", "W4.E64.k2.sparse_faster.fwd_bwd_ms", 0.45, "W4 E=64 k=2 sparse fwd+bwd",
     "W4.E64.k2.sparse.fwd_bwd_ms_cpu", "W4.E64.k2.sparse_faster.fwd_bwd_ms_cpu"),
    ("W5.train_step_ms", "W5.train_step_ms", 0.5, "W5 LSTM experts step", "W5.train_step_ms_cpu", "W5.train_step_ms_cpu"),
    ("W5.infer_b32_ms", "W5.infer_b32_ms", 0.5, "W5 inference, batch 32", "W5.infer_b32_ms_cpu", "W5.infer_b32_ms_cpu"),
    ("W6.28x28.train_step_ms", "W6.28x28.train_step_ms", 0.5, "W6 28x28 step",
     "W6.28x28.train_step_ms_cpu", "W6.28x28.train_step_ms_cpu"),
    ("W6.28x28.infer_b64_ms", "W6.28x28.infer_b64_ms", 0.5, "W6 28x28 inference, batch 64",
     "W6.28x28.infer_b64_ms_cpu", "W6.28x28.infer_b64_ms_cpu"),
    ("W6.8x8.train_step_ms", "W6.8x8.train_step_ms", 0.5, "W6 8x8 step",
     "W6.8x8.train_step_ms_cpu", "W6.8x8.train_step_ms_cpu"),
    ("W6.8x8.infer_b64_ms", "W6.8x8.infer_b64_ms", 0.5, "W6 8x8 inference, batch 64",
     "W6.8x8.infer_b64_ms_cpu", "W6.8x8.infer_b64_ms_cpu"),
    ("W7.train_step_ms", "W7.train_step_ms", 0.05, "W7 hierarchical step", "W7.train_step_ms_cpu",
     "W7.train_step_ms_cpu"),
]
# Absolute targets on Swift's own values: (key, minimum or maximum, bound, label).
ABSOLUTE_TARGETS = [
    ("W4.E64.k2.sparse.gflops_useful", ">=", 55.0, "W4 E=64 k=2 useful GFLOP/s"),
    ("W4.k2.sparse.growth_E8_to_E64", "<=", 1.3, "W4 k=2 cost growth E=8 -> E=64"),
    ("W4.k2.sparse.growth_E8_to_E64_cpu", "<=", 1.3, "W4 k=2 cost growth E=8 -> E=64, CPU time"),
    ("GEMM.engine_over_cblas.n1024", ">=", 0.95, "GEMM 1024 engine / raw cblas"),
]
GROWTH_TORCH = ("W4.E8.k2.sparse_faster.fwd_bwd_ms", "W4.E64.k2.sparse_faster.fwd_bwd_ms")


def torch_key(swift_key):
    """The PyTorch suite's name for a Swift metric (same key unless renamed)."""
    key = re.sub(r"^(W4\.E\d+\.k\d+)\.sparse\.", r"\1.sparse_faster.", swift_key)
    return re.sub(r"^GEMM\.engine\.", "GEMM.torch.", key)


def add_faster_sparse_variant(torch_round):
    """W4's `sparse_faster` keys: per metric, the faster of PyTorch's sorted and mask variants (the
    lower time, the higher GFLOP/s) in this round."""
    for key in list(torch_round):
        match = re.match(r"^(W4\.E\d+\.k\d+)\.sparse_sorted\.(.+)$", key)
        if not match:
            continue
        other = f"{match.group(1)}.sparse_mask.{match.group(2)}"
        values = [v for v in (torch_round[key], torch_round.get(other)) if numeric(v)]
        if values:
            best = max if "gflops" in match.group(2) else min
            torch_round[f"{match.group(1)}.sparse_faster.{match.group(2)}"] = best(values)


def run_child(command, log):
    """Runs a command, returns (exit status, peak RSS of that child in MiB)."""
    print("$ " + " ".join(command), file=log, flush=True)
    child = subprocess.Popen(command, stdout=log, stderr=log)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage.ru_maxrss / 1024


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def numeric(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def median_over(rounds, key):
    values = [r[key] for r in rounds if numeric(r.get(key))]
    return statistics.median(values) if values else None


def paired_ratio(swift_rounds, torch_rounds, swift_key, other_key):
    ratios = [s[swift_key] / t[other_key] for s, t in zip(swift_rounds, torch_rounds)
              if numeric(s.get(swift_key)) and numeric(t.get(other_key)) and t[other_key] != 0]
    return statistics.median(ratios) if ratios else None


def fmt(value, width=12):
    if value is None:
        return "-".rjust(width)
    if abs(value) >= 1000:
        return f"{value:.1f}".rjust(width)
    if abs(value) >= 1:
        return f"{value:.3f}".rjust(width)
    return f"{value:.4g}".rjust(width)


def print_swift_table(swift_rounds):
    keys = [k for k in swift_rounds[0] if numeric(swift_rounds[0][k])]
    width = max([len(k) for k in keys] + [20])
    print(f"{'metric'.ljust(width)}  {'Swift median':>12}")
    for key in keys:
        print(f"{key.ljust(width)}  {fmt(median_over(swift_rounds, key))}")


def missing_reference(run_all, python):
    """Why the PyTorch side cannot run (the suite is missing, or the Python has no torch), or None."""
    if not os.path.exists(run_all):
        return (f"no PyTorch reference suite at {run_all} (PYTORCH_BENCH names its folder; the project's "
                f"own is Scripts/pytorch_reference)")
    if not os.path.exists(python):
        return (f"no Python at {python} (TORCH_PYTHON names it); set one up with torch: "
                f"make torch-venv")
    check = subprocess.run([python, "-c", "import torch"], capture_output=True, text=True)
    if check.returncode != 0:
        return f"the Python at {python} has no torch; install it there, or run: make torch-venv"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--swift-bin", required=True, help="the Benchmarks executable (release build)")
    parser.add_argument("--pytorch-dir", required=True, help="folder holding run_all.py")
    parser.add_argument("--python", required=True, help="a Python with torch")
    parser.add_argument("--only", default=DEFAULT_WORKLOADS)
    parser.add_argument("--threads", default="1")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out-dir", default=".bench")
    args = parser.parse_args()

    workloads = [w.strip().upper() for w in args.only.split(",") if w.strip()]
    os.makedirs(args.out_dir, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    log_path = os.path.join(args.out_dir, f"compare-{stamp}.log")
    run_all = os.path.join(args.pytorch_dir, "run_all.py")
    reason = missing_reference(run_all, args.python)
    have_torch = reason is None
    if not have_torch:
        print(reason)
        print("Swift only:\n")

    swift_rounds, torch_rounds = [], []
    quick = ["--quick"] if args.quick else []
    with open(log_path, "w") as log:
        for round_index in range(args.rounds if have_torch else 1):
            swift_round, torch_round = {}, {}
            for workload in workloads:
                print(f"round {round_index + 1}: {workload}", file=sys.stderr, flush=True)
                path = os.path.join(args.out_dir, f"swift-{stamp}-r{round_index}-{workload}.json")
                status, rss = run_child(
                    [args.swift_bin, "--only", workload, "--threads", args.threads, "--json", path] + quick, log)
                if status != 0:
                    sys.exit(f"Swift benchmark {workload} failed (exit {status}); see {log_path}")
                swift_round.update(load(path))
                swift_round[f"meta.{workload}.process_peak_rss_mib"] = rss
                if not have_torch:
                    continue
                path = os.path.join(args.out_dir, f"torch-{stamp}-r{round_index}-{workload}.json")
                status, rss = run_child(
                    [args.python, run_all, "--only", workload, "--threads", args.threads, "--out", path] + quick, log)
                if status != 0:
                    sys.exit(f"PyTorch suite {workload} failed (exit {status}); see {log_path}")
                torch_round.update(load(path))
                torch_round[f"meta.{workload}.process_peak_rss_mib"] = rss
            add_faster_sparse_variant(torch_round)
            swift_rounds.append(swift_round)
            torch_rounds.append(torch_round)

    if not have_torch:
        print_swift_table(swift_rounds)
        return 0

    threads = [f"T{t}" for t in args.threads.split(",")]
    rows = []
    for key in swift_rounds[0]:
        if not numeric(swift_rounds[0][key]) or key.startswith("meta.") or "_min." in key or "_max." in key:
            continue
        other = torch_key(key)
        if not any(numeric(t.get(other)) for t in torch_rounds):
            continue
        rows.append((key, other, median_over(swift_rounds, key), median_over(torch_rounds, other),
                     paired_ratio(swift_rounds, torch_rounds, key, other)))
    width = max([len(r[0]) for r in rows] + [24])
    print(f"Swift vs PyTorch, {len(swift_rounds)} alternating rounds, threads {args.threads}; "
          f"ratio = median over rounds of Swift / PyTorch; _cpu keys: process CPU time per call\n")
    print(f"{'metric'.ljust(width)}  {'Swift':>12}  {'PyTorch':>12}  {'ratio':>8}")
    for key, _, swift, other, ratio in rows:
        print(f"{key.ljust(width)}  {fmt(swift)}  {fmt(other)}  {fmt(ratio, 8)}")

    print("\nTargets (ratio Swift / PyTorch unless stated):")
    merged = {"meta.rounds": len(swift_rounds), "meta.threads": args.threads}
    for tag in threads:
        for swift_stem, torch_stem, bound, label, swift_cpu, torch_cpu in TARGETS:
            s_key, t_key = f"{swift_stem}.{tag}", f"{torch_stem}.{tag}"
            ratio = paired_ratio(swift_rounds, torch_rounds, s_key, t_key)
            swift, other = median_over(swift_rounds, s_key), median_over(torch_rounds, t_key)
            if ratio is None:
                continue
            cpu_ratio = paired_ratio(swift_rounds, torch_rounds, f"{swift_cpu}.{tag}", f"{torch_cpu}.{tag}")
            verdict = "met" if ratio <= bound else "MISSED"
            cpu_text = "" if cpu_ratio is None else (
                f"; CPU-time ratio {cpu_ratio:.3f} {'met' if cpu_ratio <= bound else 'MISSED'}")
            print(f"  {label} [{tag}]: Swift {fmt(swift, 0)} ms, PyTorch {fmt(other, 0)} ms, "
                  f"ratio {ratio:.3f} (target <= {bound}) {verdict}{cpu_text}")
            merged[f"target_ratio.{s_key}"] = ratio
            if cpu_ratio is not None:
                merged[f"target_cpu_ratio.{s_key}"] = cpu_ratio
        for stem, sense, bound, label in ABSOLUTE_TARGETS:
            value = median_over(swift_rounds, f"{stem}.{tag}")
            if value is None:
                continue
            ok = value >= bound if sense == ">=" else value <= bound
            extra = ""
            if stem.startswith("W4.k2"):
                suffix = "_cpu" if stem.endswith("_cpu") else ""
                small, large = (median_over(torch_rounds, f"{k}{suffix}.{tag}") for k in GROWTH_TORCH)
                if small and large:
                    extra = f" (PyTorch {large / small:.2f})"
            print(f"  {label} [{tag}]: {value:.3f}{extra} (target {sense} {bound}) {'met' if ok else 'MISSED'}")
    for workload in workloads:
        key = f"meta.{workload}.process_peak_rss_mib"
        swift, other = median_over(swift_rounds, key), median_over(torch_rounds, key)
        if swift is not None and other is not None:
            print(f"  {workload} peak RSS: Swift {swift:.0f} MiB, PyTorch {other:.0f} MiB "
                  f"{'met' if swift < other else 'MISSED'}")

    if "W2" in workloads:
        print("\nW2 loss trajectory (loss before the update; random streams differ):")
        for tag in threads:
            for epoch in (0, 10, 50, 99):
                key = f"W2.loss_epoch{epoch}.{tag}"
                print(f"  epoch {epoch:3d} [{tag}]: Swift {fmt(swift_rounds[-1].get(key), 10)}   "
                      f"PyTorch {fmt(torch_rounds[-1].get(key), 10)}")

    for key, other, swift, torch_value, ratio in rows:
        merged[f"swift.{key}"] = swift
        merged[f"torch.{other}"] = torch_value
        merged[f"ratio.{key}"] = ratio
    out = os.path.join(args.out_dir, f"compare-{stamp}.json")
    with open(out, "w") as f:
        json.dump({"merged": merged, "swift_rounds": swift_rounds, "torch_rounds": torch_rounds}, f, indent=1)
    print(f"\nwrote {out} (log {log_path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
