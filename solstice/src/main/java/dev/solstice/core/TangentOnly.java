package dev.solstice.core;

/**
 * Marks a primitive that only ever applies to tangents and cannot be evaluated (custom VJP's linear map):
 * a staging interpreter records it even when all its operands are known.
 */
public interface TangentOnly extends Primitive {}
