package dev.solstice.ir;

import dev.solstice.core.Primitive;
import java.util.Arrays;

/** One staged application of a primitive. */
public record Eqn(Primitive primitive, Atom[] inputs, Var[] outputs) {
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < outputs.length; i++) {
            b.append(i == 0 ? "" : ", ").append(outputs[i]).append(':').append(outputs[i].aval().str());
        }
        return b.append(" = ").append(primitive.name()).append(Arrays.toString(inputs)).toString();
    }
}
