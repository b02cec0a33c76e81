#!/usr/bin/python3
"""PyTorch peer of Janus's benchmark suite (TracedVsEagerBenchmark, TraceTimeBenchmark).

The same workloads, shapes and thread count as the Java side (see Workloads.java):
  forward   mlp_b1, mlp_b64 (MLP 784-512-256-10), lenet_b64 (LeNet-5), rnn (h = tanh(W h + b), hidden 256,
            batch 32, T = 100), lstm (nn.LSTM 256->256, 50 steps, batch 32), transformer
            (nn.TransformerEncoderLayer d 256, 4 heads, feed-forward 1024, seq 64, batch 8, batch first)
  training  mlp_train, lenet_train: batch 64, cross-entropy, SGD lr 0.01 momentum 0.9
  tracing   torch.jit.trace of each model, warm (the peer of Janus's warm tracing time)
  archive   torch.jit.load of a saved traced model (the peer of Janus's archive load)

Each forward workload runs eagerly (under torch.inference_mode) and as TorchScript (torch.jit.trace,
torch.jit.script where the model scripts, and the frozen, optimize_for_inference'd form), each on the
default dense path (BLAS: OpenBLAS here) and on oneDNN (torch.utils.mkldnn: to_mkldnn() modules and
tensors) where the model's ops have oneDNN forms; the reported figure is the best path, and every path's
figure is kept under "paths". Training runs eagerly and through a traced module (oneDNN tensors have no
autograd).

The JSON is a list of entries shaped like JMH's -rf json output ("benchmark", "mode", "params",
"primaryMetric" with "score" = median of the timed rounds, "scoreError", "scoreUnit", "rawData"), plus
"paths", "path", "torchVersion", "blas", "threads", "otherProcsCpus".

    /usr/bin/python3 benchmarks/peers/torch_workloads.py [--quick] [--threads 2] [--out FILE]

Prints the torch version and torch.__config__.show(), and refuses to report (exit 2) when torch runs on the
reference BLAS.
"""

import argparse
import copy
import io
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from torch_foundation import (MIN_SANE_GFLOPS, classify_blas, cpu_model, loadavg,  # noqa: E402
                              log, mapped_blas_libs, measure)

DEFAULT_OUT = os.path.join(HERE, "results", "torch_workloads.json")
HIDDEN, RNN_BATCH, RNN_STEPS, LSTM_STEPS = 256, 32, 100, 50
D_MODEL, HEADS, FEEDFORWARD, SEQ, TRANSFORMER_BATCH = 256, 4, 1024, 64, 8
LR, MOMENTUM = 0.01, 0.9
FORWARD = ["mlp_b1", "mlp_b64", "lenet_b64", "rnn", "lstm", "transformer"]
TRAINING = ["mlp_train", "lenet_train"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=2,
                   help="intra-op threads: torch.set_num_threads and, unless already set, "
                        "OPENBLAS_NUM_THREADS/OMP_NUM_THREADS (default 2)")
    p.add_argument("--out", default=DEFAULT_OUT, help="JSON output file (default: %(default)s)")
    p.add_argument("--quick", action="store_true", help="short run: 3 rounds of ~0.1 s per figure")
    p.add_argument("--rounds", type=int, default=None, help="timed rounds per figure (default 10, quick 3)")
    p.add_argument("--round-s", type=float, default=None, help="seconds per round (default 0.5, quick 0.1)")
    p.add_argument("--busy-retries", type=int, default=None,
                   help="repeat a figure's rounds this many more times when other processes were busy, "
                        "keeping the quietest attempt (default 1, quick 0)")
    p.add_argument("--only", default=None, help="comma-separated workloads to run (default: all)")
    return p.parse_args()


def build_models(torch, nn, F):
    """Model classes, written as the Java models are."""

    class Mlp(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2, self.fc3 = nn.Linear(784, 512), nn.Linear(512, 256), nn.Linear(256, 10)

        def forward(self, x):
            return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))

    class LeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.conv2 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
            self.fc1, self.fc2, self.fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.flatten(1)
            return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))

    class SeedRnn(nn.Module):
        """h = tanh(W h + b), h [hidden, batch], as the Java seed."""

        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.randn(HIDDEN, HIDDEN) / HIDDEN ** 0.5)
            self.b = nn.Parameter(torch.randn(HIDDEN, 1) * 0.1)

        def forward(self, h, steps: int = RNN_STEPS):
            for _ in range(steps):
                h = torch.tanh(torch.mm(self.w, h) + self.b)
            return h

    class SeedRnnMkldnn(nn.Module):
        """The same recurrence on oneDNN tensors, transposed (h^T [batch, hidden]) so each step is a linear."""

        def __init__(self, rnn):
            super().__init__()
            self.w = rnn.w.detach().to_mkldnn()
            self.b = rnn.b.detach().reshape(-1).to_mkldnn()

        def forward(self, h, steps: int = RNN_STEPS):
            ht = h.t().contiguous().to_mkldnn()
            for _ in range(steps):
                ht = torch.tanh(F.linear(ht, self.w, self.b))
            return ht.to_dense().t()

    class LstmEncoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(HIDDEN, HIDDEN)

        def forward(self, x):
            return self.lstm(x)[0]

    class EncoderLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.TransformerEncoderLayer(D_MODEL, HEADS, FEEDFORWARD, 0.0, batch_first=True)

        def forward(self, x):
            return self.layer(x)

    class OnMkldnn(nn.Module):
        """A to_mkldnn()-converted model fed dense tensors: converts the input and the output."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, x):
            return self.model(x.to_mkldnn()).to_dense()

    return dict(Mlp=Mlp, LeNet=LeNet, SeedRnn=SeedRnn, SeedRnnMkldnn=SeedRnnMkldnn, LstmEncoder=LstmEncoder,
                EncoderLayer=EncoderLayer, OnMkldnn=OnMkldnn)


def forward_workload(torch, M, name):
    """(model, example input, {path: eager callable}, {path: TorchScript builder})."""
    from torch.utils import mkldnn as mk
    g = torch.Generator().manual_seed(1)
    if name.startswith("mlp"):
        model, x = M["Mlp"](), torch.randn(1 if name == "mlp_b1" else 64, 784, generator=g)
    elif name == "lenet_b64":
        model, x = M["LeNet"](), torch.randn(64, 1, 28, 28, generator=g)
    elif name == "rnn":
        model, x = M["SeedRnn"](), torch.randn(HIDDEN, RNN_BATCH, generator=g)
    elif name == "lstm":
        model, x = M["LstmEncoder"](), torch.randn(LSTM_STEPS, RNN_BATCH, HIDDEN, generator=g)
    else:
        model, x = M["EncoderLayer"](), torch.randn(TRANSFORMER_BATCH, SEQ, D_MODEL, generator=g)
    model.eval()
    eager = {"default": model}
    if name == "rnn":
        eager["mkldnn"] = M["SeedRnnMkldnn"](model)
    elif name in ("mlp_b1", "mlp_b64", "lenet_b64"):
        # NOTE: to_mkldnn converts the children of a custom module in place: convert a copy
        eager["mkldnn"] = M["OnMkldnn"](mk.to_mkldnn(copy.deepcopy(model)))
    scripted = {
        "trace": lambda: torch.jit.trace(model, x),
        "script": lambda: torch.jit.script(model),
        "frozen": lambda: torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.script(model))),
    }
    if "mkldnn" in eager:
        scripted["trace_mkldnn"] = lambda: torch.jit.trace(eager["mkldnn"], x)
    return model, x, eager, scripted


def training_workload(torch, nn, F, M, name):
    g = torch.Generator().manual_seed(1)
    if name == "mlp_train":
        model, x = M["Mlp"](), torch.randn(64, 784, generator=g)
    else:
        model, x = M["LeNet"](), torch.randn(64, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (64,), generator=g)
    return model, x, y


def main():
    args = parse_args()
    rounds = args.rounds or (3 if args.quick else 10)
    round_s = args.round_s or (0.1 if args.quick else 0.5)
    busy_retries = args.busy_retries if args.busy_retries is not None else (0 if args.quick else 1)
    only = set(args.only.split(",")) if args.only else None

    # OpenBLAS (pthread build) has its own thread pool that ignores torch.set_num_threads
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(var, str(args.threads))

    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    config_text = torch.__config__.show()
    print("torch.__version__:", torch.__version__)
    print("torch.__config__.show():")
    print(config_text)
    sys.stdout.flush()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    a, b = torch.randn(512, 512), torch.randn(512, 512)
    torch.mm(a, b)
    libs = mapped_blas_libs()
    blas_name, is_reference = classify_blas(config_text, libs)
    _, sane, _, _ = measure(lambda n: [torch.mm(a, b) for _ in range(n)], 3, 0.05)
    gflops = 2.0 * 512 ** 3 / min(sane) / 1e9
    log(f"BLAS: {blas_name}; libs={libs}; 512^3 matmul {gflops:.1f} GFLOP/s")
    if is_reference or gflops < MIN_SANE_GFLOPS:
        log("REFUSING TO REPORT: torch appears to use the reference BLAS "
            f"(blas={blas_name}, 512^3 matmul {gflops:.2f} GFLOP/s < {MIN_SANE_GFLOPS}). "
            "Install an optimised BLAS (apt-get install -y libopenblas0-pthread) and rerun.")
        return 2

    common = {"torchVersion": torch.__version__, "blas": blas_name, "threads": torch.get_num_threads()}
    entries, notes = [], {}

    def time_us(fn):
        """Median and all rounds of one callable, in microseconds per call."""
        _, per_call, other, _ = measure(lambda n: [fn() for _ in range(n)], rounds, round_s,
                                        busy_retries=busy_retries)
        return [t * 1e6 for t in per_call], other

    def record(method, workload, paths, unit="us/op"):
        """One JMH-shaped entry holding the best (lowest median) of several paths."""
        paths = {k: v for k, v in paths.items() if v is not None}
        if not paths:
            return
        best = min(paths, key=lambda k: statistics.median(paths[k][0]))
        samples, other = paths[best]
        med = statistics.median(samples)
        scale = 1e-3 if unit == "ms/op" else 1.0
        entries.append(dict(common, **{
            "benchmark": "torch." + method, "mode": "avgt", "params": {"workload": workload},
            "primaryMetric": {"score": med * scale, "scoreError": (max(samples) - min(samples)) / 2 * scale,
                              "scoreUnit": unit, "rawData": [[s * scale for s in samples]]},
            "secondaryMetrics": {},
            "path": best,
            "paths": {k: statistics.median(v[0]) * scale for k, v in paths.items()},
            "otherProcsCpus": other,
            "notes": notes.get(workload, []),
        }))
        log(f"  {method} {workload}: {med * scale:.4g} {unit} ({best})")

    def attempt(workload, what, fn):
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - a path that does not apply is reported, not fatal
            note = f"{what}: {type(e).__name__}: {(str(e).splitlines() or [''])[0][:160]}"
            notes.setdefault(workload, []).append(note)
            log(f"  skipped {note}")
            return None

    M = build_models(torch, nn, F)
    for name in FORWARD:
        if only and name not in only:
            continue
        log(f"forward {name} ...")
        model, x, eager, scripted = forward_workload(torch, M, name)
        with torch.inference_mode():
            ref = model(x)
            eager_paths, script_paths, compiled = {}, {}, {}
            for path, m in eager.items():
                def check_and_time(m=m):
                    if not torch.allclose(m(x), ref, rtol=1e-3, atol=1e-4):
                        raise RuntimeError("result differs from the default path")
                    return time_us(lambda: m(x))
                eager_paths[path] = attempt(name, f"eager {path}", check_and_time)
            for path, build in scripted.items():
                sm = attempt(name, f"TorchScript {path}", build)
                if sm is not None:
                    compiled[path] = sm
                    for _ in range(3):  # TorchScript's profiling executor optimizes after the first runs
                        sm(x)
                    script_paths[path] = attempt(name, f"TorchScript {path} run", lambda sm=sm: time_us(lambda: sm(x)))
        record("forwardEager", name, eager_paths)
        record("forwardTorchScript", name, script_paths)
        if name != "mlp_b1":
            key = "mlp_b64" if name.startswith("mlp") else name
            record("traceWarm", key, {"jit.trace": attempt(key, "trace time", lambda: time_us(
                lambda: torch.jit.trace(model, x, check_trace=False)))}, unit="ms/op")
            if "trace" in compiled:
                buf = io.BytesIO()
                torch.jit.save(compiled["trace"], buf)
                data = buf.getvalue()
                record("archiveLoad", key, {"torch.jit.load": attempt(key, "load time", lambda: time_us(
                    lambda: torch.jit.load(io.BytesIO(data))))}, unit="ms/op")

    for name in TRAINING:
        if only and name not in only:
            continue
        log(f"training {name} ...")
        paths = {}
        for path in ("eager", "trace"):
            torch.manual_seed(0)
            model, x, y = training_workload(torch, nn, F, M, name)
            net = model if path == "eager" else torch.jit.trace(model, x)
            opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)

            def step(net=net, opt=opt, x=x, y=y):
                opt.zero_grad()
                loss = F.cross_entropy(net(x), y)
                loss.backward()
                opt.step()
                return loss

            step()
            paths[path] = attempt(name, path, lambda: time_us(step))
        record("trainEager", name, {"eager": paths["eager"]}, unit="ms/op")
        record("trainTorchScript", name, {"jit.trace": paths["trace"]}, unit="ms/op")

    meta = {"cpu_model": cpu_model(), "logical_cpus": os.cpu_count(), "loadavg_end": loadavg(),
            "python": sys.executable, "torch": torch.__version__, "blas": blas_name, "blas_libs": libs,
            "mkldnn_available": bool(torch.backends.mkldnn.is_available()), "rounds": rounds,
            "round_target_s": round_s, "notes": notes}
    log("meta: " + json.dumps(meta))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(entries, f, indent=2)
        f.write("\n")
    log(f"wrote {args.out} ({len(entries)} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
