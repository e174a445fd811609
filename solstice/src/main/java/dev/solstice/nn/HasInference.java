package dev.solstice.nn;

/** A layer that behaves differently in inference mode (dropout, batch norm); see {@link dev.solstice.Eqx#inferenceMode}. */
public interface HasInference extends Module {

    /** The same layer with inference mode switched on or off. */
    HasInference withInference(boolean value);
}
