package dev.solstice;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Several arguments as one tree, so that {@link Jax}'s and {@link Eqx}'s two- and three-argument transformations
 * are their one-argument tree transformations: the differentiated arguments are packed in a {@link Pair} or
 * {@link Triple} ({@code null} at the others, which the function closes over as constants).
 */
final class ArgPacking {
    private ArgPacking() {}

    /** The arguments {@code argnums} names, {@code null} at the others. */
    static <A, B> Pair<A, B> select(Argnums n, A a, B b) {
        return new Pair<>(n.contains(0) ? a : null, n.contains(1) ? b : null);
    }

    /** The arguments {@code argnums} names, {@code null} at the others. */
    static <A, B, C> Triple<A, B, C> select(Argnums n, A a, B b, C c) {
        return new Triple<>(n.contains(0) ? a : null, n.contains(1) ? b : null, n.contains(2) ? c : null);
    }

    /** {@code f} as a function of the packed arguments {@code argnums} names, the others fixed at {@code a}, {@code b}. */
    static <A, B, R> Function<Pair<A, B>, R> over(BiFunction<A, B, R> f, Argnums n, A a, B b) {
        return p -> f.apply(n.contains(0) ? p.first() : a, n.contains(1) ? p.second() : b);
    }

    /** {@code f} as a function of the packed arguments {@code argnums} names, the others fixed. */
    static <A, B, C, R> Function<Triple<A, B, C>, R> over(Fn3<A, B, C, R> f, Argnums n, A a, B b, C c) {
        return p -> f.apply(n.contains(0) ? p.first() : a, n.contains(1) ? p.second() : b, n.contains(2) ? p.third() : c);
    }

    /** {@code f} of all its arguments packed. */
    static <A, B, R> Function<Pair<A, B>, R> packed(BiFunction<A, B, R> f) {
        return p -> f.apply(p.first(), p.second());
    }

    /** {@code f} of all its arguments packed. */
    static <A, B, C, R> Function<Triple<A, B, C>, R> packed(Fn3<A, B, C, R> f) {
        return p -> f.apply(p.first(), p.second(), p.third());
    }

    /** {@code op}'s argnums, checked against the function's arity. */
    static Argnums checked(String op, Argnums n, int arity) {
        java.util.Objects.requireNonNull(n, op + ": argnums");
        n.check(op, arity);
        return n;
    }
}
