package dev.solstice.ir;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Zero;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a program in JAX's jaxpr layout: {@code { lambda a:f32[3]; b:f32[3]. let c:f32[3] = sin b ... in (c,) }},
 * constvars before the semicolon, one equation per line, a primitive's parameters (its record components) in
 * brackets (named in snake case, as JAX's), variables named a, b, ..., z, ba, bb, ... in order of appearance, nested programs indented.
 */
final class JaxprPrinter {
    private final Map<Var, String> names = new IdentityHashMap<>();
    private final StringBuilder out = new StringBuilder();

    private JaxprPrinter() {}

    /** {@code program} printed with its first {@code numConstvars} inputs as constvars. */
    static String print(Program program, int numConstvars) {
        JaxprPrinter p = new JaxprPrinter();
        p.program(program, numConstvars, "");
        return p.out.toString();
    }

    private void program(Program p, int numConstvars, String indent) {
        out.append("{ lambda ");
        List<Var> in = p.inputs();
        for (int i = 0; i < in.size(); i++) {
            if (i == numConstvars) {
                out.append("; ");
            } else if (i > 0) {
                out.append(' ');
            }
            binder(in.get(i));
        }
        if (in.size() == numConstvars) {
            out.append("; ");
        }
        out.append(". let");
        for (Eqn e : p.eqns()) {
            out.append('\n').append(indent).append("    ");
            eqn(e, indent + "    ");
        }
        out.append('\n').append(indent).append("  in (");
        for (Atom a : p.outputs()) {
            atom(a);
            out.append(',');
            if (p.outputs().size() > 1) {
                out.append(' ');
            }
        }
        if (p.outputs().size() > 1) {
            out.setLength(out.length() - 2);
        }
        out.append(") }");
    }

    private void eqn(Eqn e, String indent) {
        for (int i = 0; i < e.outputs().length; i++) {
            out.append(i == 0 ? "" : " ");
            binder(e.outputs()[i]);
        }
        out.append(" = ").append(e.primitive().name());
        params(e.primitive(), indent);
        for (Atom a : e.inputs()) {
            out.append(' ');
            atom(a);
        }
    }

    /** The primitive's record components in brackets; one per line when one of them is a program. */
    private void params(Primitive p, String indent) {
        RecordComponent[] components = p.getClass().getRecordComponents();
        if (components == null || components.length == 0) {
            return;
        }
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        boolean nested = false;
        for (RecordComponent c : components) {
            keys.add(snakeCase(c.getName()));
            Object v = read(c, p);
            values.add(v);
            nested |= v instanceof Program || v instanceof ClosedProgram;
        }
        out.append('[');
        for (int i = 0; i < keys.size(); i++) {
            if (nested) {
                out.append('\n').append(indent).append("  ");
            } else if (i > 0) {
                out.append(' ');
            }
            out.append(keys.get(i)).append('=');
            value(values.get(i), indent + "  ");
        }
        out.append(nested ? "\n" + indent + "]" : "]");
    }

    /** A component name as JAX spells its parameters: {@code broadcastDimensions} as {@code broadcast_dimensions}. */
    private static String snakeCase(String camel) {
        StringBuilder b = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            b.append(Character.isUpperCase(ch) ? "_" + Character.toLowerCase(ch) : String.valueOf(ch));
        }
        return b.toString();
    }

    private static Object read(RecordComponent c, Object record) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }

    private void value(Object v, String indent) {
        switch (v) {
            case null -> out.append("None");
            case Program p -> program(p, 0, indent);
            case ClosedProgram cp -> program(cp.program(), cp.consts().size(), indent);
            case Boolean b -> out.append(b ? "True" : "False");
            case DType t -> out.append(t.jaxName());
            case Aval a -> out.append(type(a));
            case Primitive prim -> out.append(prim.name());
            case List<?> l -> tuple(l, indent);
            case Object[] a -> tuple(List.of(a), indent);
            case int[] a -> tuple(java.util.Arrays.stream(a).boxed().toList(), indent);
            case long[] a -> tuple(java.util.Arrays.stream(a).boxed().toList(), indent);
            case double[] a -> tuple(java.util.Arrays.stream(a).boxed().toList(), indent);
            case boolean[] a -> {
                List<Boolean> l = new ArrayList<>();
                for (boolean b : a) {
                    l.add(b);
                }
                tuple(l, indent);
            }
            default -> out.append(v);
        }
    }

    /** Python's tuple syntax: {@code ()}, {@code (0,)}, {@code (0, 1)}. */
    private void tuple(List<?> items, String indent) {
        out.append('(');
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : ", ");
            value(items.get(i), indent);
        }
        out.append(items.size() == 1 ? ",)" : ")");
    }

    private void binder(Var v) {
        out.append(name(v)).append(':').append(type(v.aval()));
    }

    private void atom(Atom a) {
        if (a instanceof Var v) {
            out.append(name(v));
            return;
        }
        Array value = ((Const) a).value();
        if (Zero.isZero(value)) {
            out.append("zeros:").append(type(value.aval()));
        } else if (value instanceof DenseArray d && d.size() == 1 && d.ndim() == 0) {
            out.append(literal(d)).append(':').append(type(d.aval()));
        } else {
            out.append("const:").append(type(value.aval()));
        }
    }

    private static String literal(DenseArray d) {
        return switch (d.dtype()) {
            case BOOL -> d.toBooleanArray()[0] ? "True" : "False";
            case INT32 -> Integer.toString(d.toIntArray()[0]);
            case FLOAT32 -> Float.toString(d.toFloatArray()[0]);
            case FLOAT64 -> Double.toString(d.toDoubleArray()[0]);
            case INT64, INT8, UINT8, UINT32 -> Long.toString(d.toLongArray()[0]);
            case FLOAT16, BFLOAT16 -> Double.toString(d.getDouble(0));
        };
    }

    private String name(Var v) {
        return names.computeIfAbsent(v, k -> letters(names.size()));
    }

    /** JAX's variable names: a ... z, then ba, bb, ... (base 26 with a as the zero digit). */
    private static String letters(int n) {
        StringBuilder s = new StringBuilder();
        do {
            s.insert(0, (char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return s.toString();
    }

    /** JAX's short type: {@code f32[2,3]}, {@code i32[]}, {@code bool[4]}. */
    static String type(Aval a) {
        return a.shortStr();
    }
}
