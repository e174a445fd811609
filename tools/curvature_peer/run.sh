#!/usr/bin/env bash
# Solstice vs PyHessian-style PyTorch loops: top-5 Hessian eigenvalues and Hutchinson's trace of the digits MLP
# (64-64-10 relu, float64, first 256 digits, mean softmax cross-entropy), both pinned to one core.
# Usage: tools/curvature_peer/run.sh [out-folder] [cpu] [--exact]
#   --exact: the torch side also forms the dense Hessian (untimed, ~10 s) to check both sides' values.
# WARMUP=n (environment, default 1): untimed calls before the 5 timed ones, on both sides.
# Figures are indicative (one machine, one run); note the load (uptime) next to them. The computing thread's CPU
# times are printed too: on a loaded machine a pinned run's wall time includes its waits for the core (and, for
# the JVM, its JIT compiler's and collector's work on that core); the thread's CPU time does not.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-/tmp/curvature_peer}"
CPU="${2:-1}"
EXACT="${3:-}"
source bin/find-jdk.sh
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
./mvnw -B -ntp -q -o -pl solstice-bench -am package -DskipTests
mkdir -p "$OUT"
echo "load before: $(uptime)"
taskset -c "$CPU" "$JAVA_HOME/bin/java" -Dsolstice.threads=1 --sun-misc-unsafe-memory-access=allow \
    --add-modules jdk.incubator.vector -cp "solstice-bench/target/classes:solstice-bench/target/lib/*" \
    dev.solstice.bench.CurvaturePeer "$OUT" 2> >(grep -v WARNING >&2) >/dev/null
# Debian's python3-torch lives in /usr/bin/python3's site packages, not in a pyenv interpreter.
PY=/usr/bin/python3
taskset -c "$CPU" "$PY" tools/curvature_peer/torch_curvature.py "$OUT" $EXACT >/dev/null
echo "load after:  $(uptime)"
"$PY" - "$OUT" <<'PYEOF'
import sys
def read(path):
    return dict(l.split(" ", 1) for l in open(path).read().splitlines())
s, t = read(sys.argv[1] + "/solstice.txt"), read(sys.argv[1] + "/torch.txt")
def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)
def eig(d, p):
    return [float(d["%s%d" % (p, i)]) for i in range(5)]
print("params %s, probes %s, loss solstice %s torch %s" % (s["params"], s["probes"], s["loss"], t["loss"]))
print("%-34s %12s %10s %7s  %s" % ("quantity", "Solstice ms", "torch ms", "ratio", "values agree"))
tt = float(t["trace_ms"])
for name, key, prefix in (("top-5 eig (Lanczos %s steps)" % s["lanczos_steps"], "eig_ms", "eig"),
                          ("top-5 eig (Lanczos %s steps)" % s["eigN_steps"], "eigN_ms", "eigN")):
    ms, te = float(s[key]), float(t["eig_ms"])
    d = max(rel(a, b) for a, b in zip(eig(s, prefix), eig(t, "eig")))
    print("%-34s %12.1f %10.1f %7.2f  %s (max rel diff %.1e, tol 1e-6)" % (name, ms, te, ms / te, d <= 1e-6, d))
d = rel(float(s["trace"]), float(t["trace"]))
print("%-34s %12.1f %10.1f %7.2f  %s (rel diff %.1e, tol 1e-9)" % ("Hutchinson trace (%s probes)" % s["probes"],
      float(s["trace_ms"]), tt, float(s["trace_ms"]) / tt, d <= 1e-9, d))
d = rel(float(s["zHz0"]), float(t["zHz0"]))
print("%-34s %12.2f %10.2f %7.2f  %s (z0'Hz0 rel diff %.1e, tol 1e-9)" % ("one HVP from scratch (probe 0)",
      float(s["hvp_ms"]), float(t["hvp_ms"]), float(s["hvp_ms"]) / float(t["hvp_ms"]), d <= 1e-9, d))
print("Solstice diagnostics (eager, not compiled): one HVP on raveled params %s ms; trace by a loop of 100 HVPs %s ms"
      " (value rel diff %.1e)" % (s["flat_hvp_ms"], s["loop_trace_ms"], rel(float(s["loop_trace"]), float(t["trace"]))))
print("torch power iterations per eigenvalue: %s (tol %s relative, PyHessian's stopping rule)" % (t["power_iterations"], "1e-6"))
print("%-8s %22s %22s %22s %22s" % ("", "Solstice default", "Solstice %s steps" % s["eigN_steps"], "torch power it.",
      "dense eigvalsh" if "exact_eig0" in t else ""))
for i in range(5):
    ex = t.get("exact_eig%d" % i, "")
    print("%-8s %22.15f %22.15f %22.15f %22s" % ("eig%d" % i, float(s["eig%d" % i]), float(s["eigN%d" % i]),
          float(t["eig%d" % i]), ("%.15f" % float(ex)) if ex else ""))
print("%-8s %22.15f %22s %22.15f   (+- %s)" % ("trace", float(s["trace"]), "", float(t["trace"]), s["trace_se"]))
if "exact_eig0" in t:
    ex = [float(t["exact_eig%d" % i]) for i in range(5)]
    for label, vals in (("Solstice default", eig(s, "eig")), ("Solstice %s steps" % s["eigN_steps"], eig(s, "eigN")),
                        ("torch power it.", eig(t, "eig"))):
        print("max rel error vs dense, %-18s %.1e" % (label + ":", max(rel(a, b) for a, b in zip(vals, ex))))
    print("exact trace %s; lowest eigenvalues %s" % (t["exact_trace"], t["exact_lowest"]))
if "trace_cpu_ms" in s and "trace_cpu_ms" in t:
    print("thread CPU ms (medians of the computing thread's CPU time: not inflated by waits for a loaded core,"
          " nor by the JVM's JIT compiler and collector threads)")
    for name, sk, tk in (("top-5 eig (%s steps)" % s["lanczos_steps"], "eig_cpu_ms", "eig_cpu_ms"),
                         ("top-5 eig (%s steps)" % s["eigN_steps"], "eigN_cpu_ms", "eig_cpu_ms"),
                         ("Hutchinson trace", "trace_cpu_ms", "trace_cpu_ms"),
                         ("one HVP from scratch", "hvp_cpu_ms", "hvp_cpu_ms")):
        a, b = float(s[sk]), float(t[tk])
        print("  %-32s %12.1f %10.1f %7.2f" % (name, a, b, a / b))
if "trace_alloc_mb" in s:
    print("Solstice thread allocation, MB per call (medians): top-5 eig %s / %s, trace %s, one HVP from scratch %s"
          % (s["eig_alloc_mb"], s["eigN_alloc_mb"], s["trace_alloc_mb"], s["hvp_alloc_mb"]))
for k in ("eig_ms_all", "eigN_ms_all", "trace_ms_all", "hvp_ms_all"):
    print("solstice %-12s %s" % (k, s[k]))
for k in ("eig_ms_all", "trace_ms_all", "hvp_ms_all"):
    print("torch    %-12s %s" % (k, t[k]))
PYEOF
