package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Primitive;
import dev.solstice.prim.CustomJvpCall;
import dev.solstice.prim.CustomVjpCall;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A custom-rule call as staging records it. Its rules are user code that may close over the call's operands as
 * they were while tracing (tracers of the trace, which has finished by the time a transformation evaluating
 * the program runs a rule); the recorded rules therefore run under a {@link Substitution} of the operands'
 * values for those tracers. {@code fwd} passes the operands on to {@code bwd} at the end of its residuals.
 */
final class CustomCallStaging {
    private CustomCallStaging() {}

    /** The call to record for {@code p} applied to {@code operands}: {@code p} itself when no operand is traced. */
    static Primitive recorded(Primitive p, Array[] operands) {
        if (!Substitution.anyTracer(operands)) {
            return p;
        }
        Array[] then = operands.clone();
        return switch (p) {
            case CustomJvpCall c -> new CustomJvpCall(c.program(), c.numCaptured(),
                    (ops, t) -> pair(then, ops, () -> c.rule().apply(ops, t)));
            case CustomVjpCall c -> new CustomVjpCall(c.program(), c.numCaptured(), ops -> {
                Array[][] r = pair(then, ops, () -> c.fwd().apply(ops));
                return r == null || r.length != 2 || r[1] == null ? r : new Array[][] {r[0], concat(r[1], ops)};
            }, (res, ct) -> {
                int k = res.length - then.length;
                Array[] ops = Arrays.copyOfRange(res, k, res.length);
                Substitution s = Substitution.of(then, ops);
                Array[] residuals = Arrays.copyOfRange(res, 0, k);
                return s == null ? c.bwd().apply(residuals, ct) : s.replaced(s.run(() -> c.bwd().apply(residuals, ct)));
            });
            default -> p;
        };
    }

    /** A rule's two groups of results, computed and cleared of the substituted tracers. */
    private static Array[][] pair(Array[] then, Array[] now, Supplier<Array[][]> rule) {
        Substitution s = Substitution.of(then, now);
        if (s == null) {
            return rule.get();
        }
        Array[][] r = s.run(rule);
        return r == null || r.length != 2 ? r : new Array[][] {s.replaced(r[0]), s.replaced(r[1])};
    }

    private static Array[] concat(Array[] a, Array[] b) {
        Array[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
