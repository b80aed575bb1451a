#!/usr/bin/env python3
"""PyTorch side of tools/bench/engine: one configuration of a full training step (forward, backward, AdamW) of the
model mirrored in tools/fixtures/torch_model.py, CPU, 2 threads. Prints its context as "# " lines (PyTorch version,
CPU capability it dispatches to, oneDNN version, threads), then one JSON object like bench-engine."""
import argparse
import json
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import torch_model as tm  # noqa: E402


def torch_context():
    """One "# " line: PyTorch version, the CPU capability its kernels dispatch to, its oneDNN and BLAS, threads."""
    config = torch.__config__.show()
    dnn = next((line.split("-", 1)[1].strip().split(" (")[0] for line in config.splitlines() if "MKL-DNN" in line),
               "oneDNN unknown")
    blas = next((part.split("=", 1)[1] for part in config.replace(",", "\n").split() if part.startswith("BLAS_INFO=")),
                "unknown")
    return (f"# pytorch {torch.__version__}, cpu capability {torch.backends.cpu.get_cpu_capability()}, {dnn}, "
            f"BLAS {blas}, threads {torch.get_num_threads()}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--head", default="mlp")
    p.add_argument("--stem", default="imagenet")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--classes", type=int, default=20)
    p.add_argument("--width", type=float, default=1.0)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    print(torch_context(), flush=True)
    torch.manual_seed(0)
    model = tm.Model(a.classes, a.head, a.stem, a.width)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-8, weight_decay=0.01)
    x = torch.randn(a.batch, 3, a.size, a.size)
    labels = (torch.rand(a.batch, a.classes) < 0.25).float()
    lam = (0.0, 0.0) if a.head == "mlp" else (1.0, 1.0)
    wall = cpu = 0.0
    for step in range(a.warmup + a.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        opt.zero_grad(set_to_none=True)
        scores, feats, protos = model(x)
        loss = tm.losses(scores, feats, protos, labels, *lam)["total"]
        loss.backward()
        opt.step()
        if step >= a.warmup:
            wall += time.perf_counter() - t0
            cpu += time.process_time() - c0
    per_step = wall / max(1, a.steps)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"implementation": "pytorch", "head": a.head, "stem": a.stem, "size": a.size, "batch": a.batch,
                      "seconds_per_step": per_step, "images_per_second": a.batch / per_step,
                      "cpu_seconds_per_step": cpu / max(1, a.steps), "peak_mb": peak_mb, "loss": float(loss.detach())}))


if __name__ == "__main__":
    main()
