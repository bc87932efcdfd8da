"""Timing and machine-state helpers for the reference benchmark (standard library and torch only)."""
import os
import statistics
import time


def measure(call, warmup=3, repeats=7, min_time=0.05, max_inner=100_000):
    """Runs `call` `warmup` times untimed, picks an inner loop count so one repeat lasts at least
    `min_time` seconds, then times `repeats` repeats. Returns per-call seconds: the median (the headline
    figure), the fastest repeat, and the median process CPU time (all threads), which other processes on
    the machine disturb far less than wall time at one thread."""
    for _ in range(warmup):
        call()
    start = time.perf_counter()
    call()
    once = time.perf_counter() - start
    inner = max(1, min(max_inner, int(min_time / max(once, 1e-7))))
    wall, cpu = [], []
    for _ in range(repeats):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        for _ in range(inner):
            call()
        wall.append((time.perf_counter() - wall_start) / inner)
        cpu.append((time.process_time() - cpu_start) / inner)
    return {"median": statistics.median(wall), "min": min(wall), "cpu": statistics.median(cpu)}


def record_ms(results, key, timing, threads):
    """Writes `<key>.T<n>` (median), `<key>_min.T<n>` and `<key>_cpu.T<n>` in milliseconds."""
    results[f"{key}.T{threads}"] = round(timing["median"] * 1e3, 6)
    results[f"{key}_min.T{threads}"] = round(timing["min"] * 1e3, 6)
    results[f"{key}_cpu.T{threads}"] = round(timing["cpu"] * 1e3, 6)


def count_dispatched_operations(call):
    """How many ATen operations one call dispatches (forward, backward and optimizer), or a reason."""
    try:
        from torch.utils._python_dispatch import TorchDispatchMode
    except ImportError as error:
        return f"unavailable: {error}"
    count = [0]

    class Counter(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            count[0] += 1
            return func(*args, **(kwargs or {}))

    try:
        with Counter():
            call()
    except Exception as error:  # depends on the torch version
        return f"unavailable: {type(error).__name__}: {error}"
    return count[0]


class OtherProcesses:
    """The share of the machine's CPU that other processes used while a block ran, from /proc/stat
    (busy jiffies of the machine) minus /proc/self/stat (this process and its waited-for children).
    Near 0 means the timings of the block are undisturbed."""

    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    @staticmethod
    def _machine_busy():
        try:
            with open("/proc/stat") as f:
                fields = [int(v) for v in f.readline().split()[1:]]
        except OSError:
            return 0, 0
        return fields[0] + fields[1] + fields[2] + fields[5] + fields[6], (fields[7] if len(fields) > 7 else 0)

    @staticmethod
    def _own_busy():
        try:
            with open("/proc/self/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        return sum(int(v) for v in fields[11:15])

    def __enter__(self):
        self.start = time.perf_counter()
        self.machine, self.steal = self._machine_busy()
        self.own = self._own_busy()
        return self

    def __exit__(self, *exc):
        capacity = max(time.perf_counter() - self.start, 1e-9) * (os.cpu_count() or 1) * self.ticks
        machine, steal = self._machine_busy()
        own = self._own_busy()
        self.share = max(0.0, ((machine - self.machine) - (own - self.own)) / capacity)
        self.steal_share = (steal - self.steal) / capacity
        return False
