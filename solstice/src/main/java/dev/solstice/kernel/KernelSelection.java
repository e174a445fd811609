package dev.solstice.kernel;

/**
 * Chooses the kernels once, when {@link Kernels#get} is first called. The Vector API kernels are loaded
 * reflectively, so that a JVM without the module {@code jdk.incubator.vector} never touches them.
 */
final class KernelSelection {
    /** The system property that forces an implementation: {@code java} or {@code vector}. */
    static final String PROPERTY = "solstice.kernels";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "dev.solstice.kernel.vector.VectorKernels";

    /** The kernels in use. */
    static final Kernels SELECTED = choose(System.getProperty(PROPERTY, "auto"));

    private KernelSelection() {}

    /** The kernels the property value asks for ({@code auto}: the Vector API ones when they load). */
    static Kernels choose(String wanted) {
        return switch (wanted) {
            case "java" -> JavaKernels.INSTANCE;
            case "vector" -> {
                Kernels k = loadVector();
                if (k == null) {
                    throw new IllegalStateException("-D" + PROPERTY + "=vector: the Vector API kernels cannot be"
                            + " loaded; run the JVM with --add-modules " + VECTOR_MODULE + ", or set -D" + PROPERTY
                            + "=java");
                }
                yield k;
            }
            case "auto" -> {
                Kernels k = loadVector();
                yield k == null ? JavaKernels.INSTANCE : k;
            }
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + wanted
                    + " is not a kernel implementation; use java or vector (or leave it unset to choose automatically)");
        };
    }

    /** The Vector API kernels, or null when the module is absent or the class does not load. */
    private static Kernels loadVector() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return null;
        }
        try {
            return (Kernels) Class.forName(VECTOR_CLASS).getField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
