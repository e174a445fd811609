package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.Program;

/**
 * JAX's {@code scan} primitive. Operands: the values the body captured, the initial carries, then the scanned
 * inputs (each with a leading axis of {@code length}). The body maps (captures, carries, one slice of each input)
 * to (new carries, one slice of each output); the outputs are the final carries and the stacked slices. The
 * body is traced once whatever the length. Its JVP is a scan of the body's JVP; batching a scan of the vmapped
 * body; partial evaluation splits the body into a known scan that stacks the residuals of every iteration as
 * extra outputs and an unknown scan that reads them as inputs; the transpose is a scan of the body's backward
 * pass in the other direction ({@link ScanRules}, {@link ScanPartialEval}).
 *
 * @param body the body program: captures, carries, input slices in; carries, output slices out
 * @param numConsts how many operands are captured values
 * @param numCarries how many operands (after the captures) are carries
 * @param length the number of iterations
 * @param reverse whether the iterations run from the last slice to the first
 * @param unroll how many copies of the body one iteration of the loop runs ({@link ScanUnrolling}); the results do
 *     not depend on it
 */
public record ScanLoop(Program body, int numConsts, int numCarries, int length, boolean reverse, int unroll)
        implements NamedAxisBatching {

    /** Checks that {@code unroll} is at least 1. */
    public ScanLoop {
        if (unroll < 1) {
            throw new IllegalArgumentException("scan: unroll must be at least 1, got " + unroll);
        }
    }

    /** A scan that runs one body copy per iteration. */
    public ScanLoop(Program body, int numConsts, int numCarries, int length, boolean reverse) {
        this(body, numConsts, numCarries, length, reverse, 1);
    }

    @Override
    public String name() {
        return "scan";
    }

    int numXs() {
        return body.inputs().size() - numConsts - numCarries;
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        int n = body.inputs().size();
        if (in.length != n) {
            throw new IllegalArgumentException("scan: the body takes " + n + " operands, got " + in.length);
        }
        for (int i = 0; i < n; i++) {
            Aval want = body.inputs().get(i).aval();
            Aval got = i < numConsts + numCarries ? in[i] : ScanSlices.rowAval(in[i], length, "scan: input " + i);
            if (!want.equals(got)) {
                throw new IllegalArgumentException("scan: operand " + i + " is " + in[i].str()
                        + " but the body was traced for " + want.str() + (i < numConsts + numCarries ? ""
                                : " slices of a leading axis of " + length));
            }
        }
        Aval[] out = new Aval[body.outputs().size()];
        for (int j = 0; j < out.length; j++) {
            Aval a = body.outputs().get(j).aval();
            out[j] = j < numCarries ? a : ScanSlices.stackedAval(a, length);
        }
        return out;
    }

    /** Runs its program on the operands as stored: the program's own equations widen what they compute. */
    @Override
    public boolean evaluatesNarrowTypes() {
        return true;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return ScanUnrolling.run(this, in, outAvals);
    }

    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        return ScanRules.jvp(this, primals, tangents);
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return ScanRules.jvp(this, primals, tangents)[1];
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return ScanRules.transpose(this, cts, args);
    }

    @Override
    public boolean usesAxisName(String axisName) {
        return body.usesAxisName(axisName);
    }

    @Override
    public Batched batchNamed(Array[] vals, int[] dims, int axisSize, String axisName) {
        return ScanRules.batch(this, vals, dims, axisSize, axisName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanLoop s && s.body == body && s.numConsts == numConsts && s.numCarries == numCarries
                && s.length == length && s.reverse == reverse && s.unroll == unroll;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(body) * 31 + length;
    }

    @Override
    public String toString() {
        return "scan(length " + length + (reverse ? ", reverse" : "") + (unroll > 1 ? ", unroll " + unroll : "") + ", "
                + numCarries + " carries)";
    }
}
