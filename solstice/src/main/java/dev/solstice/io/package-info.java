/**
 * Array and model files: {@link dev.solstice.io.Safetensors} (the format PyTorch, JAX and Hugging Face
 * read), {@link dev.solstice.io.Npy} and {@link dev.solstice.io.Npz} (NumPy's), and
 * {@link dev.solstice.io.TreeFiles}, which saves a tree's leaves under their paths and loads them back into a
 * tree of the same structure (Equinox's {@code tree_serialise_leaves}). Writes are atomic; reads check every
 * size against the file before allocating, and refuse truncated, corrupt or lying files with a
 * {@link dev.solstice.io.MalformedFileException} naming the file and the problem. A refusal costs work in
 * proportion to the file's bytes (numbers longer than 100 characters, more than 64 axes, nesting deeper than
 * 64 and zip entries claiming more than deflate can produce are refused as soon as they are seen), and its
 * message is short: values taken from the file are shown cut to a few dozen characters.
 */
package dev.solstice.io;
