package dev.solstice.tree;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A record class's components, read once per class and cached: names, accessors and the canonical
 * constructor (the Java analogue of Equinox's generated per-class flatten and unflatten).
 */
final class RecordShape {
    private static final ConcurrentHashMap<Class<?>, RecordShape> CACHE = new ConcurrentHashMap<>();

    final Class<?> type;
    final List<String> names;
    final Class<?>[] types;
    private final MethodHandle[] accessors;
    private final Constructor<?> constructor;

    private RecordShape(Class<?> type) {
        this.type = type;
        RecordComponent[] comps = type.getRecordComponents();
        List<String> n = new ArrayList<>();
        types = new Class<?>[comps.length];
        accessors = new MethodHandle[comps.length];
        try {
            for (int i = 0; i < comps.length; i++) {
                n.add(comps[i].getName());
                types[i] = comps[i].getType();
                Method m = comps[i].getAccessor();
                m.setAccessible(true);
                accessors[i] = MethodHandles.lookup().unreflect(m);
            }
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("Tree: cannot read the components of record " + type.getName()
                    + " (" + e + "); make the record accessible (public, or in an open package)", e);
        }
        names = List.copyOf(n);
    }

    static RecordShape of(Class<?> type) {
        return CACHE.computeIfAbsent(type, RecordShape::new);
    }

    Object get(Object record, int i) {
        try {
            return accessors[i].invoke(record);
        } catch (Throwable t) {
            throw new IllegalStateException("Tree: reading " + type.getSimpleName() + "." + names.get(i) + " failed: " + t, t);
        }
    }

    /** Whether the canonical constructor can take these values (type by type). */
    boolean accepts(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            Class<?> t = types[i];
            if (values[i] == null) {
                if (t.isPrimitive()) {
                    return false;
                }
            } else if (!box(t).isInstance(values[i])) {
                return false;
            }
        }
        return true;
    }

    Object construct(Object[] values) {
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            throw new IllegalArgumentException("Tree: the canonical constructor of " + type.getSimpleName()
                    + " rejected the rebuilt values " + describe(values) + ": " + c, c);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Tree: cannot rebuild " + type.getSimpleName() + " from " + describe(values)
                    + ": " + e, e);
        }
    }

    private String describe(Object[] values) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            b.append(i == 0 ? "" : ", ").append(names.get(i)).append('=')
                    .append(v instanceof dev.solstice.Array a ? a.aval().str() : String.valueOf(v));
        }
        return b.append(')').toString();
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return switch (t.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            default -> Character.class;
        };
    }
}
