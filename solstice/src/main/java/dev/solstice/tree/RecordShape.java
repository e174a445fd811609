package dev.solstice.tree;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A record class's components, read once per class and cached: names, accessors and the canonical
 * constructor (the Java analogue of Equinox's generated per-class flatten and unflatten).
 */
final class RecordShape {
    private static final ConcurrentHashMap<Class<?>, RecordShape> CACHE = new ConcurrentHashMap<>();
    private static final MethodType OBJECT_TO_OBJECT = MethodType.methodType(Object.class, Object.class);

    final Class<?> type;
    final List<String> names;
    final Class<?>[] types;
    /** The declared component types with their type arguments ({@code List<Layer>}). */
    final Type[] genericTypes;
    private final MethodHandle[] accessors;
    private final Constructor<?> constructor;

    private RecordShape(Class<?> type) {
        this.type = type;
        RecordComponent[] comps = type.getRecordComponents();
        List<String> n = new ArrayList<>();
        types = new Class<?>[comps.length];
        genericTypes = new Type[comps.length];
        accessors = new MethodHandle[comps.length];
        try {
            for (int i = 0; i < comps.length; i++) {
                n.add(comps[i].getName());
                types[i] = comps[i].getType();
                genericTypes[i] = comps[i].getGenericType();
                Method m = comps[i].getAccessor();
                m.setAccessible(true);
                accessors[i] = MethodHandles.lookup().unreflect(m).asType(OBJECT_TO_OBJECT); // invoked exactly: no per-call adaptation
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
            return (Object) accessors[i].invokeExact(record);
        } catch (Throwable t) {
            throw new IllegalStateException("Tree: reading " + type.getSimpleName() + "." + names.get(i) + " failed: " + t, t);
        }
    }

    /**
     * Whether the canonical constructor can take these values: each must be an instance of its component's
     * declared type, and the elements of a collection, the values of a map and the content of an optional
     * must be instances of the declared type arguments ({@code List<Layer>} cannot hold the Structs of a
     * Hessian), so that a record is never built holding what its types say it cannot.
     */
    boolean accepts(Object[] values) {
        return firstRejected(values) < 0;
    }

    /** The first component that cannot hold its value, or -1. */
    int firstRejected(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!fits(genericTypes[i], values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Says why a value does not fit a component, for messages. */
    String mismatch(int i, Object value) {
        return "component '" + names.get(i) + "' of " + type.getSimpleName() + " is declared "
                + genericTypes[i].getTypeName().replaceAll("[\\w.]*[.$]", "") + " and cannot hold "
                + (value instanceof dev.solstice.Array a ? "an array " + a.aval().str()
                : value == null ? "null" : "a " + value.getClass().getSimpleName() + " (" + value + ")");
    }

    private static boolean fits(Type declared, Object v) {
        Class<?> raw = rawClass(declared);
        if (v == null) {
            return !raw.isPrimitive();
        }
        if (!box(raw).isInstance(v)) {
            return false;
        }
        if (declared instanceof ParameterizedType pt) {
            Type[] args = pt.getActualTypeArguments();
            if (v instanceof Collection<?> c && args.length == 1 && Collection.class.isAssignableFrom(raw)) {
                for (Object e : c) {
                    if (!fits(args[0], e)) {
                        return false;
                    }
                }
            } else if (v instanceof Map<?, ?> m && args.length == 2 && Map.class.isAssignableFrom(raw)) {
                for (Object e : m.values()) {
                    if (!fits(args[1], e)) {
                        return false;
                    }
                }
            } else if (v instanceof Optional<?> o && args.length == 1 && raw == Optional.class) {
                return o.isEmpty() || fits(args[0], o.get());
            }
        }
        return true;
    }

    private static Class<?> rawClass(Type t) {
        return switch (t) {
            case Class<?> c -> c;
            case ParameterizedType p -> rawClass(p.getRawType());
            case WildcardType w -> rawClass(w.getUpperBounds()[0]);
            case TypeVariable<?> v -> rawClass(v.getBounds()[0]);
            case GenericArrayType g -> java.lang.reflect.Array.newInstance(rawClass(g.getGenericComponentType()), 0).getClass();
            default -> Object.class;
        };
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
