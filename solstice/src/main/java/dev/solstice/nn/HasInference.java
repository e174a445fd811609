package dev.solstice.nn;

/**
 * A layer that behaves differently in inference mode (dropout, batch norm); see {@link dev.solstice.Eqx#inferenceMode}.
 *
 * {@snippet lang=java :
 * HasInference d = new Dropout(0.5);
 * d.withInference(true)   // Dropout(p=0.5, inference=true)
 * }
 */
public interface HasInference extends Module {

    /**
     * The same layer with inference mode switched on or off.
     *
     * {@snippet lang=java :
     * HasInference d = new Dropout(0.1);
     * ((Dropout) d.withInference(true)).inference()   // true
     * }
     */
    HasInference withInference(boolean value);
}
