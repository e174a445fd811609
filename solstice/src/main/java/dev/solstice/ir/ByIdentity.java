package dev.solstice.ir;

/**
 * A value compared by identity, for keys of hash maps: staged programs and atoms are distinguished by object
 * identity, and hashing a program's equations structurally would cost a walk on every lookup.
 *
 * @param value the value
 * @param <T> its type
 */
public record ByIdentity<T>(T value) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ByIdentity<?> other && other.value == value;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(value);
    }
}
