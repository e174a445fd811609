package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Stages a function of trees (a branch, a loop body) to a closed program of its flat leaves, keeping its output
 * structure and leaf paths, so that control flow can check that branches and carries agree and name the leaf
 * where they do not.
 */
final class TreeStaging {
    private TreeStaging() {}

    /**
     * A staged tree function.
     *
     * @param program the closed program: captured values, then the input leaves; the output leaves out
     * @param outDef the structure of the output
     * @param outPaths the path of each output leaf
     */
    record Staged(ClosedProgram program, TreeDef outDef, List<KeyPath> outPaths) {
        Aval[] outAvals() {
            return program.outAvals();
        }
    }

    /** Traces {@code fn} on a tree of {@code inDef} whose leaves have {@code inAvals}. */
    @SuppressWarnings("unchecked")
    static <T, R> Staged stage(String op, Function<T, R> fn, TreeDef inDef, Aval[] inAvals) {
        TreeDef[] outDef = new TreeDef[1];
        List<KeyPath> paths = new ArrayList<>();
        ClosedProgram cp = Staging.trace(args -> {
            R out = fn.apply(Tree.unflatten(inDef, Arrays.asList(args)));
            if (out == null) {
                throw new IllegalArgumentException(op + ": a function returned null");
            }
            List<Array> leaves = new ArrayList<>();
            for (Tree.PathLeaf pl : Tree.leavesWithPath(out)) {
                paths.add(pl.path());
                leaves.add(pl.leaf());
            }
            outDef[0] = Tree.structure(out);
            return leaves.toArray(Array[]::new);
        }, inAvals);
        return new Staged(cp, outDef[0], List.copyOf(paths));
    }

    /**
     * Checks that {@code b} returns what {@code a} does (structure, and each leaf's shape and dtype); otherwise an
     * error naming both, the leaf path and both avals.
     */
    static void checkSame(String op, String nameA, TreeDef defA, List<KeyPath> pathsA, Aval[] avalsA, String nameB,
            Staged b) {
        checkSame(op, nameA, defA, pathsA, avalsA, nameB, b.outDef(), b.outAvals());
    }

    /** {@link #checkSame(String, String, TreeDef, List, Aval[], String, Staged)} for a tree of {@code avalsB}. */
    static void checkSame(String op, String nameA, TreeDef defA, List<KeyPath> pathsA, Aval[] avalsA, String nameB,
            TreeDef defB, Aval[] avalsB) {
        if (!defA.equals(defB)) {
            throw new IllegalArgumentException(op + ": " + nameB + " returns a tree of structure " + defB
                    + " but " + nameA + " has structure " + defA);
        }
        for (int i = 0; i < avalsA.length; i++) {
            if (!avalsA[i].equals(avalsB[i])) {
                throw new IllegalArgumentException(op + ": " + nameB + " has " + avalsB[i].str() + " at "
                        + TreePaths.show(pathsA.get(i)) + " but " + nameA + " has " + avalsA[i].str()
                        + " there; they must have the same shape and dtype");
            }
        }
    }
}
