package dev.solstice.fuzz;

import dev.solstice.Array;
import dev.solstice.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A straight-line program of {@link Node}s over one input array, as a user would write it with the public facades.
 * The program is dtype-polymorphic: its constants are weak scalars, so the same program runs in float32 and in
 * float64 (the finite-difference oracle evaluates it in float64).
 *
 * @param dtype the dtype of the input the program is checked at
 * @param inputShape the input's shape
 * @param nodes the steps; the last one is the result (the input itself when there is none)
 */
public record FuzzProgram(DType dtype, int[] inputShape, List<Node> nodes) {

    /** Runs the program on {@code x} (concrete or traced). */
    public Array apply(Array x) {
        Array[] values = new Array[nodes.size() + 1];
        values[0] = x;
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            Array[] args = new Array[n.args().length];
            for (int j = 0; j < args.length; j++) {
                args[j] = values[n.args()[j]];
            }
            values[i + 1] = n.kind().apply(args, n.params());
        }
        return values[nodes.size()];
    }

    /** The shape of the result. */
    public int[] outputShape() {
        return nodes.isEmpty() ? inputShape : nodes.getLast().shape();
    }

    /** Whether jit must equal eager bitwise: every step is exactly rounded. */
    boolean exact() {
        return nodes.stream().allMatch(n -> n.kind().exact);
    }

    /** How close the concrete float64 point {@code x} comes to a kink (smaller is closer; infinite when none). */
    Margins.Probe probe(Array x) {
        Array[] values = new Array[nodes.size() + 1];
        values[0] = x;
        Margins.Probe probe = new Margins.Probe();
        probe.see(x);
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            Array[] args = new Array[n.args().length];
            for (int j = 0; j < args.length; j++) {
                args[j] = values[n.args()[j]];
            }
            values[i + 1] = n.kind().apply(args, n.params());
            double margin = Margins.margin(n, args);
            probe.margin = Math.min(probe.margin, margin);
            probe.singular |= n.kind() == Kind.EIGVALSH && margin < ProgramChecks.KINK_MARGIN;
            probe.see(values[i + 1]);
        }
        return probe;
    }

    /** This program with only the steps the result depends on, renumbered. */
    FuzzProgram withoutDeadSteps() {
        int count = nodes.size();
        boolean[] live = new boolean[count + 1];
        live[count] = true;
        for (int i = count - 1; i >= 0; i--) {
            if (live[i + 1]) {
                for (int a : nodes.get(i).args()) {
                    live[a] = true;
                }
            }
        }
        int[] renumber = new int[count + 1];
        List<Node> kept = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (live[i + 1]) {
                Node n = nodes.get(i);
                int[] args = Arrays.stream(n.args()).map(a -> renumber[a]).toArray();
                kept.add(new Node(n.kind(), args, n.params(), n.shape()));
                renumber[i + 1] = kept.size();
            }
        }
        return new FuzzProgram(dtype, inputShape, List.copyOf(kept));
    }

    /** The body of {@code static Array f(Array v0)} as Java statements. */
    String javaBody() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            String[] args = Arrays.stream(n.args()).mapToObj(a -> "v" + a).toArray(String[]::new);
            s.append("        Array v").append(i + 1).append(" = ").append(n.kind().java(args, n.params()))
                    .append(";   // ").append(Arrays.toString(n.shape())).append('\n');
        }
        s.append("        return v").append(nodes.size()).append(";\n");
        return s.toString();
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(inputShape) + " -> " + nodes.stream().map(n -> n.kind().name()).toList();
    }
}
