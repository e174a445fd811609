#!/usr/bin/env python3
"""The PyTorch side of tools/curvature_peer: PyHessian-style loops on the model, batch and probes Solstice wrote.

Usage: torch_curvature.py <folder> [--exact]

Reads <folder>/peer.npz (w0, b0, w1, b1 in nn.Linear layout, images, labels, probes; written by
dev.solstice.bench.CurvaturePeer) and, in float64 on one thread, times (one warm-up, or WARMUP from the
environment, then the median of 5 wall times; the median thread CPU times too, as *_cpu_ms):
  * the top-5 Hessian eigenvalues of the mean softmax cross-entropy by PyHessian's method: power iteration with
    deflation (the start re-orthogonalised against the eigenvectors found, every iteration), Hessian-vector
    products by double backward, stopping when the Rayleigh quotient changes by < 1e-6 relative (at most 1000
    iterations per eigenvalue);
  * Hutchinson's trace as PyHessian's trace() loop, one Hessian-vector product per probe, over the SAME
    Rademacher probes Solstice drew (all of them: no early stop, so the estimate is comparable).
Also times one Hessian-vector product from scratch (gradient graph + double backward) on the first probe.
The timed region includes the gradient graph (PyHessian builds it once in its constructor; here once per call).
Writes <folder>/torch.txt (one "name value" per line) and prints it. --exact also forms the dense Hessian
(one Hessian-vector product per basis vector) and writes its top-5 eigenvalues and trace as exact_* (untimed).
"""
import statistics
import sys
import os
import time

import numpy as np
import torch

REPS = 5
WARMUP = int(os.environ.get("WARMUP", "1"))  # untimed calls before the timed ones
TOP = 5
TOL = 1e-6
MAX_ITER = 1000


def load(folder):
    d = np.load(folder + "/peer.npz")
    params = [torch.tensor(d[k], dtype=torch.float64, requires_grad=True) for k in ("w0", "b0", "w1", "b1")]
    x = torch.tensor(d["images"], dtype=torch.float64)
    y = torch.tensor(d["labels"].astype(np.int64))
    probes = torch.tensor(d["probes"], dtype=torch.float64)
    return params, x, y, probes


def loss_fn(params, x, y):
    w0, b0, w1, b1 = params
    h = torch.relu(x @ w0.T + b0)
    return torch.nn.functional.cross_entropy(h @ w1.T + b1, y)  # mean over the batch


def gradient_graph(params, x, y):
    return torch.autograd.grad(loss_fn(params, x, y), params, create_graph=True)


def hvp(grads, params, v):
    return torch.autograd.grad(grads, params, grad_outputs=v, retain_graph=True)


def dot(a, b):
    return sum(torch.sum(ai * bi) for ai, bi in zip(a, b)).item()


def normalised(v):
    n = dot(v, v) ** 0.5
    return [vi / (n + 1e-6) for vi in v]  # PyHessian's normalisation (its 1e-6 guard included)


def orthonormalised(v, basis):
    for b in basis:
        c = dot(v, b)
        v = [vi - c * bi for vi, bi in zip(v, b)]
    return normalised(v)


def top_eigenvalues(params, x, y, generator):
    grads = gradient_graph(params, x, y)
    values, vectors, iterations = [], [], []
    for _ in range(TOP):
        v = normalised([torch.randn(p.shape, dtype=torch.float64, generator=generator) for p in params])
        value = None
        for it in range(MAX_ITER):
            v = orthonormalised(v, vectors)
            hv = hvp(grads, params, v)
            rayleigh = dot(hv, v)
            v = normalised(hv)
            if value is not None and abs(value - rayleigh) / (abs(value) + 1e-6) < TOL:
                value = rayleigh
                break
            value = rayleigh
        values.append(value)
        vectors.append(v)
        iterations.append(it + 1)
    return values, iterations


def split(row, params):
    out, at = [], 0
    for p in params:
        out.append(row[at:at + p.numel()].view_as(p))
        at += p.numel()
    return out


def hutchinson_trace(params, x, y, probes):
    grads = gradient_graph(params, x, y)
    samples = []
    for row in probes:
        v = split(row, params)
        samples.append(dot(hvp(grads, params, v), v))
    return statistics.fmean(samples), statistics.stdev(samples) / len(samples) ** 0.5


CPU_MS = {}  # id of a timed() wall-time list -> the thread CPU milliseconds of the same calls


def timed(f):
    for _ in range(WARMUP):
        result = f()
    ms, cpu = [], []
    for _ in range(REPS):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        result = f()
        ms.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.thread_time() - c0) * 1e3)
    CPU_MS[id(ms)] = cpu
    return result, ms


def exact(params, x, y):
    grads = gradient_graph(params, x, y)
    n = sum(p.numel() for p in params)
    eye = torch.eye(n, dtype=torch.float64)
    rows = [torch.cat([h.reshape(-1) for h in hvp(grads, params, split(eye[i], params))]) for i in range(n)]
    h = torch.stack(rows)
    h = (h + h.T) / 2
    ev = torch.linalg.eigvalsh(h)
    return ev.flip(0)[:TOP].tolist(), ev[:3].tolist(), torch.trace(h).item()


def main():
    folder = sys.argv[1]
    torch.set_num_threads(1)
    params, x, y, probes = load(folder)
    lines = ["params %d" % sum(p.numel() for p in params), "probes %d" % probes.shape[0],
             "loss %.17g" % loss_fn(params, x, y).item()]
    (values, iterations), eig_ms = timed(
        lambda: top_eigenvalues(params, x, y, torch.Generator().manual_seed(0)))
    (trace, se), trace_ms = timed(lambda: hutchinson_trace(params, x, y, probes))
    z0 = split(probes[0], params)
    zhz0, hvp_ms = timed(lambda: dot(hvp(gradient_graph(params, x, y), params, z0), z0))
    lines += ["zHz0 %.17g" % zhz0, "hvp_ms %.3f" % statistics.median(hvp_ms),
              "hvp_ms_all %s" % ",".join("%.3f" % t for t in hvp_ms)]
    lines += ["eig%d %.17g" % (i, v) for i, v in enumerate(values)]
    lines += ["power_iterations %s" % ",".join(map(str, iterations)),
              "trace %.17g" % trace, "trace_se %.17g" % se,
              "eig_ms %.3f" % statistics.median(eig_ms), "trace_ms %.3f" % statistics.median(trace_ms),
              "eig_ms_all %s" % ",".join("%.3f" % t for t in eig_ms),
              "trace_ms_all %s" % ",".join("%.3f" % t for t in trace_ms)]
    lines += ["%s_cpu_ms %.3f" % (name, statistics.median(CPU_MS[id(ms)]))
              for name, ms in (("eig", eig_ms), ("trace", trace_ms), ("hvp", hvp_ms))]
    if "--exact" in sys.argv[2:]:
        top, bottom, tr = exact(params, x, y)
        lines += ["exact_eig%d %.17g" % (i, v) for i, v in enumerate(top)]
        lines += ["exact_lowest %s" % ",".join("%.6g" % v for v in bottom), "exact_trace %.17g" % tr]
    text = "\n".join(lines) + "\n"
    with open(folder + "/torch.txt", "w") as f:
        f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
