package dev.solstice.core;

import dev.solstice.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks inside the functions a call primitive wraps (lambdas and the objects they capture) for tracers of a
 * given interpreter: a custom-rule function that closes over a traced value needs that interpreter's
 * attention even when none of its arguments is traced. JDK classes are not entered (their collections are
 * read through their public interfaces); the walk stops after a bounded number of objects.
 */
public final class Closures {
    private static final int LIMIT = 100_000;

    private Closures() {}

    /** True when {@code root} reaches a tracer owned by {@code owner}. */
    public static boolean capturesTracerOf(Object root, Interpreter owner) {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object> todo = new ArrayDeque<>();
        push(todo, root);
        while (!todo.isEmpty() && seen.size() < LIMIT) {
            Object o = todo.pop();
            if (o == null || seen.put(o, Boolean.TRUE) != null) {
                continue;
            }
            switch (o) {
                case Tracer t -> {
                    if (t.owner() == owner) {
                        return true;
                    }
                    continue;
                }
                case Array a -> {
                    continue;
                }
                case Object[] arr -> {
                    for (Object e : arr) {
                        push(todo, e);
                    }
                    continue;
                }
                case Collection<?> c -> {
                    c.forEach(e -> push(todo, e));
                    continue;
                }
                case Map<?, ?> m -> {
                    m.forEach((k, v) -> {
                        push(todo, k);
                        push(todo, v);
                    });
                    continue;
                }
                case Optional<?> opt -> {
                    opt.ifPresent(e -> push(todo, e));
                    continue;
                }
                default -> { }
            }
            for (Field f : FIELDS.get(o.getClass())) {
                try {
                    push(todo, f.get(o));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // an inaccessible field cannot hold one of our tracers in a way we could use; skip it
                }
            }
        }
        return false;
    }

    /**
     * The fields the walk reads of an object of a class, found once per class: the instance fields of reference
     * type of the class and its superclasses up to the first JDK class, made accessible (those that cannot be
     * are left out: they cannot hold one of our tracers in a way we could use).
     */
    private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            List<Field> out = new ArrayList<>();
            for (Class<?> c = type; c != null && !isJdk(c) && !c.isArray(); c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        out.add(f);
                    } catch (RuntimeException e) {
                        // not accessible (a module that does not open its package): skipped, as above
                    }
                }
            }
            return out.toArray(Field[]::new);
        }
    };

    private static void push(Deque<Object> todo, Object o) {
        if (o != null) {
            todo.push(o);
        }
    }

    private static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.");
    }
}
