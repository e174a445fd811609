#!/usr/bin/env bash
# Solstice vs PyTorch (Debian python3-torch, OpenBLAS/LAPACK) on svd, svdvals and qr of
# A_ij = sin((i j + 0.3 i) + 0.7 j), and eigh (with vectors) of M = A A^T + n I, at n = 64 and 256, float64,
# both single-threaded and pinned to one core.
# Usage: tools/linalg_peer/run.sh [out-folder] [cpu] [name ...]   (names: svd64 svdvals256 qr256 eigh256 ...; none: all)
# WARMUP_S=2 (environment): untimed seconds per workload before the 7 timed repetitions, on both sides.
# Times are the measuring thread's CPU time (both sides), which a loaded machine inflates less than wall time.
# Prints one line per workload: the medians, Solstice's time over torch's, the sign-free checks (sum of the
# singular values, of |R_ii|, or of the eigenvalues) with their relative difference, and each side's
# reconstruction error and loss of orthogonality. Figures are indicative (one machine, one run); note the load (uptime) printed with them.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-/tmp/linalg_peer}"
CPU="${2:-1}"
shift $(( $# < 2 ? $# : 2 ))
source bin/find-jdk.sh
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
./mvnw -B -ntp -q -o -pl solstice-bench -am package -DskipTests
mkdir -p "$OUT"
echo "load before: $(uptime)"
taskset -c "$CPU" "$JAVA_HOME/bin/java" -Dsolstice.threads=1 --sun-misc-unsafe-memory-access=allow \
    --add-modules jdk.incubator.vector -cp "solstice-bench/target/classes:solstice-bench/target/lib/*" \
    dev.solstice.bench.LinalgPeer "$@" 2> >(grep -v WARNING >&2) >"$OUT/solstice.txt"
# Debian's python3-torch lives in /usr/bin/python3's site packages, not in a pyenv interpreter.
PY=/usr/bin/python3
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c "$CPU" "$PY" tools/linalg_peer/torch_linalg.py "$@" >"$OUT/torch.txt"
echo "load after:  $(uptime)"
"$PY" - "$OUT" <<'PYEOF'
import sys
def read(path):
    return {k: float(v) for k, v in (l.split() for l in open(path).read().splitlines())}
s, t = read(sys.argv[1] + "/solstice.txt"), read(sys.argv[1] + "/torch.txt")
print("%-11s %12s %10s %7s  %-26s %-24s %-24s" % ("workload", "Solstice ms", "torch ms", "ratio", "check rel diff",
      "residual solstice/torch", "orthogonality s/t"))
for key in sorted(k[:-3] for k in s if k.endswith("_ms")):
    ms, tm = s[key + "_ms"], t.get(key + "_ms")
    if tm is None:
        continue
    d = abs(s[key + "_check"] - t[key + "_check"]) / abs(t[key + "_check"])
    res = "%.1e / %.1e" % (s[key + "_residual"], t[key + "_residual"]) if key + "_residual" in s else "-"
    orth = "%.1e / %.1e" % (s[key + "_orthogonality"], t[key + "_orthogonality"]) if key + "_orthogonality" in s else "-"
    print("%-11s %12.3f %10.3f %7.2f  %-26s %-24s %-24s" % (key, ms, tm, ms / tm, "%.1e (%s)" % (d, "agree" if d <= 1e-10 else "DIFFER"), res, orth))
PYEOF
