package dev.solstice.fuzz;

import dev.solstice.DType;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes a failing program and its inputs as a self-contained Java class that prints both sides of the failing check. */
final class Reproducer {
    private Reproducer() {}

    /** The source of class {@code className} reproducing {@code outcome} on {@code program}. */
    static String source(String className, FuzzProgram program, ProgramChecks.Outcome outcome) {
        ProgramChecks.Inputs in = outcome.inputs();
        String shape = Arrays.stream(program.inputShape()).mapToObj(d -> ", " + d).collect(Collectors.joining());
        String cast = program.dtype() == DType.FLOAT64 ? "" : ".astype(DType." + program.dtype().name() + ")";
        StringBuilder s = new StringBuilder();
        s.append("import dev.solstice.*;\n")
                .append("import java.util.ArrayList;\n")
                .append("import java.util.List;\n")
                .append("import java.util.function.UnaryOperator;\n\n")
                .append("/** Fuzzer finding (").append(outcome.check()).append("): ")
                .append(outcome.message().replace("*/", "* /")).append(" */\n")
                .append("public class ").append(className).append(" {\n")
                .append("    static Array f(Array v0) {\n").append(program.javaBody()).append("    }\n\n")
                .append(Helpers.SOURCE).append('\n')
                .append("    static Array in(double[] values) {\n")
                .append("        return Array.of(values").append(shape).append(")").append(cast).append(";\n    }\n\n")
                .append("    public static void main(String[] args) {\n")
                .append("        UnaryOperator<Array> fn = ").append(className).append("::f;\n")
                .append("        Array x = in(").append(doubles(in.x())).append(");\n");
        switch (outcome.check()) {
            case "jit" -> s.append("        System.out.println(\"eager \" + fn.apply(x));\n")
                    .append("        System.out.println(\"jit   \" + Jax.jit(fn).apply(x));\n");
            case "jac" -> s.append("        System.out.println(\"jacfwd \" + Jax.jacfwd(fn).apply(x));\n")
                    .append("        System.out.println(\"jacrev \" + Jax.jacrev(fn).apply(x));\n");
            case "jvp" -> s.append("        double[] v = ").append(doubles(in.v())).append(";\n")
                    .append("        System.out.println(\"jvp \" + Jax.jvp(fn, x, in(v)).tangent());\n")
                    .append("        double h = 1e-4;\n")
                    .append("        double[] xs = x.astype(DType.FLOAT64).toDoubleArray(), p = xs.clone(), m = xs.clone();\n")
                    .append("        for (int i = 0; i < xs.length; i++) { p[i] += h * v[i]; m[i] -= h * v[i]; }\n")
                    .append("        Array fd = Jnp.divide(Jnp.subtract(f(Array.of(p").append(shape).append(")), f(Array.of(m")
                    .append(shape).append("))), 2 * h);\n")
                    .append("        System.out.println(\"float64 central difference \" + fd);\n");
            case "hvp" -> s.append("        Array u = in(").append(doubles(in.u())).append(");\n")
                    .append("        Array v = in(").append(doubles(in.v())).append(");\n")
                    .append("        UnaryOperator<Array> loss = y -> Jnp.sum(Jnp.sin(fn.apply(y)));\n")
                    .append("        UnaryOperator<Array> lossJvp = y -> Jax.jvp(loss, y, v).tangent();\n")
                    .append("        UnaryOperator<Array> grad = Jax.grad(loss);\n")
                    .append("        System.out.println(\"fwd-over-fwd u.Hv \" + Jax.jvp(lossJvp, x, u).tangent());\n")
                    .append("        System.out.println(\"fwd-over-rev Hv   \" + Jax.jvp(grad, x, v).tangent());\n")
                    .append("        System.out.println(\"rev-over-fwd Hv   \" + Jax.grad(lossJvp).apply(x));\n")
                    .append("        System.out.println(\"rev-over-rev Hv   \" + Jax.grad((UnaryOperator<Array>) y -> ")
                    .append("Jnp.sum(Jnp.multiply(grad.apply(y), v))).apply(x));\n");
            case "jet" -> s.append("        Array u = in(").append(doubles(in.u())).append(");\n")
                    .append("        Array v = in(").append(doubles(in.v())).append(");\n")
                    .append("        System.out.println(\"jet        \" + Jax.jet(fn, x, List.of(u, v, u)).series());\n")
                    .append("        UnaryOperator<Array> path = t -> fn.apply(x.add(t.mul(u)).add(t.mul(t).mul(0.5).mul(v))")
                    .append(".add(t.mul(t).mul(t).mul(1.0 / 6).mul(u)));\n")
                    .append("        UnaryOperator<Array> d1 = t -> Jax.jvp(path, t, Jnp.ones(x.dtype())).tangent();\n")
                    .append("        UnaryOperator<Array> d2 = t -> Jax.jvp(d1, t, Jnp.ones(x.dtype())).tangent();\n")
                    .append("        UnaryOperator<Array> d3 = t -> Jax.jvp(d2, t, Jnp.ones(x.dtype())).tangent();\n")
                    .append("        Array zero = Jnp.zeros(x.dtype());\n")
                    .append("        System.out.println(\"nested jvp \" + List.of(d1.apply(zero), d2.apply(zero), d3.apply(zero)));\n");
            case "f32" -> s.append("        System.out.println(\"eager   \" + fn.apply(x));\n")
                    .append("        System.out.println(\"float32 \" + fn.apply(x.astype(DType.FLOAT32)));\n");
            case "grad32" -> s.append("        UnaryOperator<Array> loss = y -> Jnp.sum(fn.apply(y));\n")
                    .append("        System.out.println(\"grad         \" + Jax.grad(loss).apply(x));\n")
                    .append("        System.out.println(\"float32 grad \" + Jax.grad(loss).apply(x.astype(DType.FLOAT32)));\n");
            default -> {
                s.append("        List<Array> xs = new ArrayList<>(), loop = new ArrayList<>();\n");
                for (double[] b : in.batch()) {
                    s.append("        xs.add(in(").append(doubles(b)).append("));\n");
                }
                s.append("        for (Array xi : xs) { loop.add(fn.apply(xi)); }\n")
                        .append("        System.out.println(\"vmap \" + Jax.vmap(fn).apply(Jnp.stack(xs, 0)));\n")
                        .append("        System.out.println(\"loop \" + Jnp.stack(loop, 0));\n");
            }
        }
        return s.append("    }\n}\n").toString();
    }

    private static String doubles(double[] v) {
        return "new double[] {" + Arrays.stream(v).mapToObj(Double::toString).collect(Collectors.joining(", ")) + "}";
    }
}
