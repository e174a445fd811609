#!/usr/bin/env python3
"""The PyTorch side of tools/linalg_peer: torch.linalg.svd (reduced), svdvals and qr (reduced) of
A_ij = sin((i j + 0.3 i) + 0.7 j), and torch.linalg.eigh (with vectors, LAPACK syevd) of M = A A^T + n I,
at n = 64 and 256, float64, one thread, in the format of
dev.solstice.bench.LinalgPeer ("name value" lines): <w><n>_ms (median of 7 repetitions of at least 0.1 s after
WARMUP_S seconds untimed; the thread's CPU time, time.thread_time, as the Java side measures it), <w><n>_check (sum of singular values, of |R_ii|, or of the eigenvalues), _residual and _orthogonality.
Usage: torch_linalg.py [name ...]   (e.g. svd256 qr64; none: all)
"""
import os
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
WARMUP_S = float(os.environ.get("WARMUP_S", "2"))


def matrix(n):
    i = torch.arange(n, dtype=torch.float64).unsqueeze(1)
    j = torch.arange(n, dtype=torch.float64).unsqueeze(0)
    return torch.sin((i * j + 0.3 * i) + 0.7 * j)


def median_ms(f):
    end = time.perf_counter() + WARMUP_S
    while True:
        f()
        if time.perf_counter() >= end:
            break
    times = []
    for _ in range(7):
        reps = 0
        start = time.perf_counter()
        cpu = time.thread_time()
        while True:
            f()
            reps += 1
            if time.perf_counter() - start >= 0.1:
                break
        times.append((time.thread_time() - cpu) * 1e3 / reps)
    return statistics.median(times)


def out(name, value):
    print("%s %.17g" % (name, value))


def main(wanted):
    for n in (64, 256):
        a = matrix(n)
        norm = torch.linalg.norm(a).item()
        eye = torch.eye(n, dtype=torch.float64)
        ok = lambda name: not wanted or name in wanted
        if ok("svd%d" % n):
            out("svd%d_ms" % n, median_ms(lambda: torch.linalg.svd(a, full_matrices=False)))
            u, s, vh = torch.linalg.svd(a, full_matrices=False)
            out("svd%d_check" % n, s.sum().item())
            out("svd%d_residual" % n, torch.linalg.norm(u @ torch.diag(s) @ vh - a).item() / norm)
            out("svd%d_orthogonality" % n, torch.linalg.norm(u.T @ u - eye).item())
        if ok("svdvals%d" % n):
            out("svdvals%d_ms" % n, median_ms(lambda: torch.linalg.svdvals(a)))
            out("svdvals%d_check" % n, torch.linalg.svdvals(a).sum().item())
        if ok("qr%d" % n):
            out("qr%d_ms" % n, median_ms(lambda: torch.linalg.qr(a)))
            q, r = torch.linalg.qr(a)
            out("qr%d_check" % n, torch.diagonal(r).abs().sum().item())
            out("qr%d_residual" % n, torch.linalg.norm(q @ r - a).item() / norm)
            out("qr%d_orthogonality" % n, torch.linalg.norm(q.T @ q - eye).item())
        if ok("eigh%d" % n):
            m = a @ a.T + n * eye
            out("eigh%d_ms" % n, median_ms(lambda: torch.linalg.eigh(m)))
            w, v = torch.linalg.eigh(m)
            out("eigh%d_check" % n, w.sum().item())
            out("eigh%d_residual" % n, torch.linalg.norm(v @ torch.diag(w) @ v.T - m).item() / torch.linalg.norm(m).item())
            out("eigh%d_orthogonality" % n, torch.linalg.norm(v.T @ v - eye).item())


if __name__ == "__main__":
    main(sys.argv[1:])
