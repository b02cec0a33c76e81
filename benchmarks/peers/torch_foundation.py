#!/usr/bin/python3
"""PyTorch peer benchmark for Janus's foundation workloads.

Measures, on the same machine as Janus's JMH runs:
  a. per-op overhead of ``a + b`` on 2-element float32 tensors (us/op)
  b. 256^3 and 1024^3 float32 matmul (GFLOP/s), default path (torch.mm)
     and oneDNN path (F.linear on to_mkldnn() tensors), plus the best of both
  c. LeNet-size conv2d forward, input [64,1,28,28], weight [6,1,5,5], bias 6,
     stride 1, no padding (ms/call): default F.conv2d path, the mkldnn tensor
     path, and (for reference) the native path with oneDNN switched off

Timing is timeit-style: each workload is calibrated so that one round lasts
about --round-s seconds, warmed up, then timed for --rounds rounds; every round
yields one figure (per-op time or rate) and median/min/max/spread are reported.

Run with Debian's own interpreter (see README.md):
    /usr/bin/python3 benchmarks/peers/torch_foundation.py [--quick] [--threads N] [--out FILE]

Refuses to report (exit 2) when torch is running on the reference BLAS.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "results", "torch_foundation.json")

# A 512^3 float32 matmul below this rate means a reference (unoptimised) BLAS.
MIN_SANE_GFLOPS = 10.0
# Other processes using more CPUs than this during a workload => flag it.
BUSY_OTHER_CPUS = 0.1


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=2,
                   help="intra-op threads: torch.set_num_threads and, unless "
                        "already set, OPENBLAS_NUM_THREADS/OMP_NUM_THREADS (default 2)")
    p.add_argument("--out", default=DEFAULT_OUT,
                   help="JSON output file (default: %(default)s)")
    p.add_argument("--quick", action="store_true",
                   help="short run: fewer, shorter rounds")
    p.add_argument("--rounds", type=int, default=None,
                   help="timed rounds per workload (default 10, quick 3)")
    p.add_argument("--round-s", type=float, default=None,
                   help="target seconds per round (default 0.5, quick 0.1)")
    p.add_argument("--busy-retries", type=int, default=None,
                   help="repeat a workload's timed rounds up to this many more times "
                        "when other processes were busy, keeping the quietest "
                        "attempt (default 2, quick 1)")
    p.add_argument("--min-gflops", type=float, default=MIN_SANE_GFLOPS,
                   help="refuse to report when a 512^3 matmul runs below this "
                        "rate, taken as a sign of the reference BLAS (default %(default)s)")
    return p.parse_args()


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def loadavg():
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def mapped_blas_libs():
    """Real paths of BLAS/LAPACK-like shared objects mapped into this process."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6 and parts[5].startswith("/"):
                    path = parts[5]
                    base = os.path.basename(path).lower()
                    if any(k in base for k in ("blas", "lapack", "mkl", "blis", "atlas")):
                        libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def classify_blas(config_text, libs):
    """Return (name, is_reference)."""
    names = []
    for lib in libs:
        low = lib.lower()
        if "openblas" in low:
            names.append("openblas")
        elif "mkl" in low:
            names.append("mkl")
        elif "blis" in low:
            names.append("blis")
        elif "atlas" in low:
            names.append("atlas")
        elif "nvpl" in low:
            names.append("nvpl")
    blas_libs = [l for l in libs if "blas" in os.path.basename(l).lower()]
    if "BLAS_INFO=mkl" in config_text:
        names.append("mkl (static)")
    names = sorted(set(names))
    if names:
        return ", ".join(names), False
    # Only plain libblas.so.3 (Debian's netlib 'blas/' alternative) or nothing.
    if any(os.path.basename(l).startswith("libblas.so") for l in blas_libs):
        return "reference (netlib)", True
    return "unknown", False


def autorange(fn, target_s, min_iters=1):
    """Smallest n (1,2,5,10,...) with n calls taking >= target_s."""
    n = max(1, min_iters)
    while True:
        t0 = time.perf_counter()
        fn(n)
        dt = time.perf_counter() - t0
        if dt >= target_s:
            return n
        # jump straight to a good estimate, but at least double
        est = int(n * target_s / max(dt, 1e-9) * 1.1) + 1
        n = max(n * 2, est)


def system_busy_s():
    """CPU-seconds all processes spent busy so far (from /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
        v = [int(x) for x in fields]
        # user nice system idle iowait irq softirq steal ...
        busy = v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] if len(v) > 7 else 0)
        return busy / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def self_cpu_s():
    t = os.times()
    return t.user + t.system


def measure(fn, rounds, target_s, min_iters=1, warmup_rounds=1, busy_retries=0):
    """fn(n) runs the workload n times.

    Returns (iters, [seconds per call], other_cpus, attempts) where other_cpus
    is the average number of CPUs that *other* processes kept busy during the
    timed rounds (None when /proc/stat is unreadable). When other processes
    were busy, the timed rounds are repeated up to busy_retries more times
    and the quietest attempt is kept.
    """
    n = autorange(fn, target_s, min_iters)
    for _ in range(warmup_rounds):
        fn(n)
    best = None
    for attempt in range(1, busy_retries + 2):
        sys0, self0, wall0 = system_busy_s(), self_cpu_s(), time.perf_counter()
        per_call = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            fn(n)
            per_call.append((time.perf_counter() - t0) / n)
        sys1, self1, wall1 = system_busy_s(), self_cpu_s(), time.perf_counter()
        other = None
        if sys0 is not None and sys1 is not None and wall1 > wall0:
            other = max(0.0, ((sys1 - sys0) - (self1 - self0)) / (wall1 - wall0))
        if best is None or (other is not None and other < best[1]):
            best = (per_call, other)
        if other is None or other <= BUSY_OTHER_CPUS or attempt > busy_retries:
            break
        log(f"   other processes busy ({other:.2f} CPUs); retrying ({attempt})")
        time.sleep(1.0)
    return n, best[0], best[1], attempt


def summarise(other_cpus, tries, name, unit, values, iters, higher_is_better, **extra):
    med = statistics.median(values)
    lo, hi = min(values), max(values)
    rec = {
        "name": name,
        "unit": unit,
        "median": med,
        "min": lo,
        "max": hi,
        "best": hi if higher_is_better else lo,
        "spread_pct": (hi - lo) / med * 100.0 if med else None,
        "stdev": statistics.stdev(values) if len(values) > 1 else 0.0,
        "rounds": len(values),
        "iters_per_round": iters,
        "samples": values,
        "other_procs_cpus": other_cpus,
        "attempts": tries,
        "loadavg_1m_after": (loadavg() or [None])[0],
    }
    rec.update(extra)
    return rec


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def main():
    args = parse_args()
    rounds = args.rounds or (3 if args.quick else 10)
    round_s = args.round_s or (0.1 if args.quick else 0.5)
    busy_retries = (args.busy_retries if args.busy_retries is not None
                    else (1 if args.quick else 2))

    # OpenBLAS (pthread build) has its own thread pool that ignores
    # torch.set_num_threads; pin it to the same count before torch loads it.
    env_set = {}
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if var not in os.environ:
            os.environ[var] = str(args.threads)
            env_set[var] = str(args.threads)

    import torch
    import torch.nn.functional as F

    config_text = torch.__config__.show()
    print("torch.__version__:", torch.__version__)
    print("torch.__config__.show():")
    print(config_text)
    sys.stdout.flush()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    load_start = loadavg()

    # ---- BLAS sanity --------------------------------------------------------
    s = 512
    a = torch.randn(s, s)
    b = torch.randn(s, s)
    torch.mm(a, b)  # loads/initialises the BLAS
    libs = mapped_blas_libs()
    blas_name, is_reference = classify_blas(config_text, libs)
    _, sane, _, _ = measure(lambda n: [torch.mm(a, b) for _ in range(n)], 3, 0.05)
    sanity_gflops = 2.0 * s ** 3 / min(sane) / 1e9
    log(f"BLAS: {blas_name}; libs={libs}; 512^3 sanity {sanity_gflops:.1f} GFLOP/s")
    if is_reference or sanity_gflops < args.min_gflops:
        log("REFUSING TO REPORT: torch appears to use the reference BLAS "
            f"(blas={blas_name}, 512^3 matmul {sanity_gflops:.2f} GFLOP/s < "
            f"{args.min_gflops}). Install an optimised BLAS, e.g. "
            "`apt-get install -y libopenblas0-pthread`, and rerun.")
        return 2

    def timed(fn, min_iters=1):
        return measure(fn, rounds, round_s, min_iters=min_iters,
                       busy_retries=busy_retries)

    mkldnn_available = bool(torch.backends.mkldnn.is_available())
    notes = []
    results = []

    # ---- a. per-op overhead of a + b on 2-element tensors -------------------
    log("a. elementwise add, 2 elements ...")
    x = torch.tensor([1.0, 2.0], dtype=torch.float32)
    y = torch.tensor([3.0, 4.0], dtype=torch.float32)

    def add_loop(n):
        for _ in range(n):
            x + y

    it, per, other, tries = timed(add_loop, min_iters=100_000)
    results.append(summarise(other, tries, "add_2elem_f32", "us/op",
                             [t * 1e6 for t in per], it, False,
                             path="x + y in a Python loop (includes loop overhead)"))

    # ---- b. matmul ----------------------------------------------------------
    for n_ in (256, 1024):
        log(f"b. matmul {n_}^3 ...")
        flops = 2.0 * n_ ** 3
        a = torch.randn(n_, n_)
        b = torch.randn(n_, n_)
        ref = torch.mm(a, b)
        variants = {}

        def mm_loop(k, a=a, b=b):
            for _ in range(k):
                torch.mm(a, b)

        it, per, other, tries = timed(mm_loop)
        variants["default"] = summarise(
            other, tries, f"matmul_{n_}_default", "GFLOP/s",
            [flops / t / 1e9 for t in per], it, True,
            path="torch.mm (BLAS: %s)" % blas_name)

        if mkldnn_available:
            try:
                am = a.to_mkldnn()
                wm = b.t().contiguous().to_mkldnn()  # linear computes x @ w.T
                out = F.linear(am, wm)
                if not torch.allclose(out.to_dense(), ref, rtol=1e-3, atol=1e-2):
                    raise RuntimeError("mkldnn linear result differs from torch.mm")

                def mkl_loop(k, am=am, wm=wm):
                    for _ in range(k):
                        F.linear(am, wm)

                it, per, other, tries = timed(mkl_loop)
                variants["mkldnn"] = summarise(
                    other, tries, f"matmul_{n_}_mkldnn", "GFLOP/s",
                    [flops / t / 1e9 for t in per], it, True,
                    path="F.linear on to_mkldnn() tensors (oneDNN)")
            except Exception as e:  # noqa: BLE001 - report, don't die
                notes.append(f"matmul {n_} mkldnn path failed: {e!r}")
        else:
            notes.append("torch.backends.mkldnn.is_available() is False")

        results.extend(variants.values())
        best_key = max(variants, key=lambda k: variants[k]["median"])
        best = dict(variants[best_key])
        best["name"] = f"matmul_{n_}_best"
        best["best_of"] = best_key
        results.append(best)

    # ---- c. LeNet-size conv2d ----------------------------------------------
    log("c. conv2d [64,1,28,28] * [6,1,5,5] ...")
    xin = torch.randn(64, 1, 28, 28)
    w = torch.randn(6, 1, 5, 5)
    bias = torch.randn(6)
    ref = F.conv2d(xin, w, bias)

    def conv_loop(k):
        for _ in range(k):
            F.conv2d(xin, w, bias)

    it, per, other, tries = timed(conv_loop)
    results.append(summarise(other, tries, "conv2d_lenet_default", "ms/call",
                             [t * 1e3 for t in per], it, False,
                             path="F.conv2d dense tensors (oneDNN when enabled)"))

    if mkldnn_available:
        try:
            xm, wm, bm = xin.to_mkldnn(), w.to_mkldnn(), bias.to_mkldnn()
            out = F.conv2d(xm, wm, bm)
            if not torch.allclose(out.to_dense(), ref, rtol=1e-4, atol=1e-4):
                raise RuntimeError("mkldnn conv result differs from dense conv")

            def conv_mkl_loop(k):
                for _ in range(k):
                    F.conv2d(xm, wm, bm)

            it, per, other, tries = timed(conv_mkl_loop)
            results.append(summarise(other, tries, "conv2d_lenet_mkldnn", "ms/call",
                                     [t * 1e3 for t in per], it, False,
                                     path="F.conv2d on to_mkldnn() tensors"))
        except Exception as e:  # noqa: BLE001
            notes.append(f"conv2d mkldnn tensor path failed: {e!r}")

    # Reference only: the non-oneDNN (im2col + BLAS / native) path.
    with torch.backends.mkldnn.flags(enabled=False):
        it, per, other, tries = timed(conv_loop)
    results.append(summarise(other, tries, "conv2d_lenet_native", "ms/call",
                             [t * 1e3 for t in per], it, False,
                             path="F.conv2d with torch.backends.mkldnn disabled"))

    load_end = loadavg()
    busy = [f'{w["name"]} ({w["other_procs_cpus"]:.2f})' for w in results
            if w.get("other_procs_cpus") is not None
            and w["other_procs_cpus"] > BUSY_OTHER_CPUS]
    if busy:
        notes.append("machine was busy: other processes kept this many CPUs busy "
                     "(of %d) during the timed rounds of: %s; treat those figures "
                     "with care" % (os.cpu_count() or 0, ", ".join(busy)))
    report = {
        "benchmark": "torch_foundation",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpu_model": cpu_model(),
            "logical_cpus": os.cpu_count(),
            "affinity_cpus": (len(os.sched_getaffinity(0))
                              if hasattr(os, "sched_getaffinity") else None),
            "threads": torch.get_num_threads(),
            "env_set_by_script": env_set,
            "loadavg_start": load_start,
            "loadavg_end": load_end,
            "python": sys.executable + " " + platform.python_version(),
        },
        "torch": torch.__version__,
        "blas": blas_name,
        "blas_libs": libs,
        "blas_sanity_512_gflops": sanity_gflops,
        "mkldnn_available": mkldnn_available,
        "mode": "quick" if args.quick else "full",
        "rounds": rounds,
        "round_target_s": round_s,
        "busy_retries": busy_retries,
        "workloads": results,
        "notes": notes,
    }
    text = json.dumps(report, indent=2)
    print(text)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text + "\n")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
