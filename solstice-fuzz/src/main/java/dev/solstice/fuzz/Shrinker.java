package dev.solstice.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Makes a failing program smaller while it still fails: ends the program early at each step, bypasses steps whose
 * operand already has the step's shape, and drops unused steps, until no change helps.
 */
final class Shrinker {
    private Shrinker() {}

    static FuzzProgram shrink(FuzzProgram program, Predicate<FuzzProgram> fails) {
        FuzzProgram best = program;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (FuzzProgram candidate : candidates(best)) {
                if (candidate.nodes().size() < best.nodes().size() && safeFails(fails, candidate)) {
                    best = candidate;
                    progress = true;
                    break;
                }
            }
        }
        return best;
    }

    private static boolean safeFails(Predicate<FuzzProgram> fails, FuzzProgram p) {
        try {
            return fails.test(p);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<FuzzProgram> candidates(FuzzProgram p) {
        List<FuzzProgram> out = new ArrayList<>();
        List<Node> nodes = p.nodes();
        for (int end = 0; end < nodes.size(); end++) { // the result taken earlier
            out.add(new FuzzProgram(p.dtype(), p.inputShape(), nodes.subList(0, end)).withoutDeadSteps());
        }
        for (int i = 0; i < nodes.size(); i++) { // step i replaced by an operand of the same shape
            Node n = nodes.get(i);
            for (int a : n.args()) {
                int[] shape = a == 0 ? p.inputShape() : nodes.get(a - 1).shape();
                if (Arrays.equals(shape, n.shape())) {
                    out.add(bypass(p, i, a));
                }
            }
        }
        return out;
    }

    private static FuzzProgram bypass(FuzzProgram p, int step, int replacement) {
        List<Node> nodes = new ArrayList<>(p.nodes());
        for (int j = step + 1; j < nodes.size(); j++) {
            Node n = nodes.get(j);
            int[] args = Arrays.stream(n.args()).map(a -> a == step + 1 ? replacement : a).toArray();
            nodes.set(j, new Node(n.kind(), args, n.params(), n.shape()));
        }
        if (step == nodes.size() - 1) { // the result itself: end at the replacement instead
            return new FuzzProgram(p.dtype(), p.inputShape(), nodes.subList(0, replacement)).withoutDeadSteps();
        }
        return new FuzzProgram(p.dtype(), p.inputShape(), nodes).withoutDeadSteps();
    }
}
