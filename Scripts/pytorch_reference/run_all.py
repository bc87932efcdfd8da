#!/usr/bin/env python3
"""The project's PyTorch reference benchmark: the workloads W1-W7 and GEMM of the Swift benchmark,
in eager PyTorch on the CPU (float32, default settings, default Adam), with the same metric keys.

    venv-torch/bin/python Scripts/pytorch_reference/run_all.py --only W1,W4 --threads 1 --out r.json

Prints one flat JSON object and writes it to --out: `<workload>.<metric>.T<threads>`, times in ms as
the median per call after warm-up (`_min`: fastest repeat, `_cpu`: process CPU time), `env.*` the
versions and processor, and `meta.<workload>.foreign_cpu_frac.T<n>` the share of the machine other
processes used while the workload ran (well above 0: the numbers are disturbed).
`make bench-compare` runs it in alternation with the Swift suite. Workload definitions: README.md.
"""
import argparse
import json
import os
import platform
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import torch
except ImportError:
    sys.exit(f"error: this Python ({sys.executable}) has no torch; set it up with: make torch-venv")

from timing import OtherProcesses  # noqa: E402
from workloads import WORKLOADS  # noqa: E402


def processor_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def environment():
    configuration = torch.__config__.show()
    blas = next((part.split("=", 1)[1] for part in configuration.replace(",", "\n").split()
                 if part.startswith("BLAS_INFO=")), None)
    return {
        "env.torch_version": torch.__version__,
        "env.python": platform.python_version(),
        "env.cpu_model": processor_name(),
        "env.nproc": os.cpu_count(),
        "env.cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "env.mkldnn_onednn_available": torch.backends.mkldnn.is_available(),
        "env.blas_info": blas,
        "env.loadavg_start": os.getloadavg(),
    }


def write_atomically(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp") as f:
        f.write(text)
    os.replace(f.name, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(WORKLOADS), help="workloads, e.g. W1,W4 (default: all)")
    parser.add_argument("--threads", default="1,2", help="thread counts, e.g. 1 or 1,2")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and shorter runs")
    parser.add_argument("--out", help="also write the JSON object to this file")
    args = parser.parse_args()

    unknown = [name for name in args.only.split(",") if name not in WORKLOADS]
    if unknown:
        parser.error(f"--only: unknown workload {', '.join(unknown)}; known: {', '.join(WORKLOADS)}")
    try:
        threads = [int(t) for t in args.threads.split(",")]
    except ValueError:
        parser.error(f"--threads: expected numbers such as 1,2, got '{args.threads}'")
    if args.out and not os.path.isdir(os.path.dirname(os.path.abspath(args.out))):
        parser.error(f"--out: folder {os.path.dirname(os.path.abspath(args.out))} does not exist")

    results = environment()
    results["meta.quick"] = args.quick
    suite_start = time.perf_counter()
    for name in args.only.split(","):
        start = time.perf_counter()
        for count in threads:
            with OtherProcesses() as others:
                WORKLOADS[name](results, count, args.quick)
            results[f"meta.{name}.foreign_cpu_frac.T{count}"] = round(others.share, 3)
            results[f"meta.{name}.steal_frac.T{count}"] = round(others.steal_share, 3)
        results[f"meta.{name}.wall_s"] = round(time.perf_counter() - start, 2)
        print(f"# {name} done in {results[f'meta.{name}.wall_s']} s", file=sys.stderr, flush=True)
    results["meta.suite_wall_s"] = round(time.perf_counter() - suite_start, 2)
    results["env.loadavg_end"] = os.getloadavg()

    text = json.dumps(results, indent=1)
    print(text)
    if args.out:
        write_atomically(args.out, text + "\n")


if __name__ == "__main__":
    main()
