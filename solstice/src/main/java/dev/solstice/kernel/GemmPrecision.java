package dev.solstice.kernel;

/**
 * What {@link Gemm}'s drivers do differently for float32 and float64: scratch buffers, packing and the inner
 * loops, behind one interface so that the drivers are written once (arrays are passed as {@code Object}).
 */
interface GemmPrecision {
    /** A buffer of at least {@code size} elements for {@code role} from the task's scratch. */
    Object buffer(GemmScratch s, GemmScratch.Role role, int size);

    /** {@link GemmPacking#packA}. */
    void packA(Object a, int base, int rs, int cs, int mc, int kc, int mr, Object ap);

    /** {@link GemmPacking#packB}. */
    void packB(Object b, int base, int rs, int cs, int kc, int nc, int nr, Object bp);

    /** {@link GemmKernel#f32} or {@link GemmKernel#f64}. */
    void tile(GemmKernel kernel, int kc, Object ap, int ao, Object bp, int bo, Object c, int co, int ldc);

    /** {@link GemmKernel#directF32} or {@link GemmKernel#directF64}. */
    void direct(GemmKernel kernel, int rows, int cols, int k, Object a, int ao, int ars, int acs, Object b, int bo,
            int ldb, Object c, int co, int ldc);

    /** The register tile's width for this precision. */
    int nr(GemmKernel kernel);

    /** {@link GemmKernel#directWidthF32} or {@link GemmKernel#directWidthF64}. */
    int directWidth(GemmKernel kernel);

    /** Bytes per element. */
    int bytes();

    /** The length of an array of this precision. */
    int length(Object array);

    /** float32. */
    GemmPrecision F32 = new GemmPrecision() {
        @Override
        public Object buffer(GemmScratch s, GemmScratch.Role role, int size) {
            return s.floats(role, size);
        }

        @Override
        public void packA(Object a, int base, int rs, int cs, int mc, int kc, int mr, Object ap) {
            GemmPacking.packA((float[]) a, base, rs, cs, mc, kc, mr, (float[]) ap);
        }

        @Override
        public void packB(Object b, int base, int rs, int cs, int kc, int nc, int nr, Object bp) {
            GemmPacking.packB((float[]) b, base, rs, cs, kc, nc, nr, (float[]) bp);
        }

        @Override
        public void tile(GemmKernel kernel, int kc, Object ap, int ao, Object bp, int bo, Object c, int co, int ldc) {
            kernel.f32(kc, (float[]) ap, ao, (float[]) bp, bo, (float[]) c, co, ldc);
        }

        @Override
        public void direct(GemmKernel kernel, int rows, int cols, int k, Object a, int ao, int ars, int acs, Object b,
                int bo, int ldb, Object c, int co, int ldc) {
            kernel.directF32(rows, cols, k, (float[]) a, ao, ars, acs, (float[]) b, bo, ldb, (float[]) c, co, ldc);
        }

        @Override
        public int nr(GemmKernel kernel) {
            return kernel.nrF32();
        }

        @Override
        public int directWidth(GemmKernel kernel) {
            return kernel.directWidthF32();
        }

        @Override
        public int bytes() {
            return Float.BYTES;
        }

        @Override
        public int length(Object array) {
            return ((float[]) array).length;
        }
    };

    /** float64. */
    GemmPrecision F64 = new GemmPrecision() {
        @Override
        public Object buffer(GemmScratch s, GemmScratch.Role role, int size) {
            return s.doubles(role, size);
        }

        @Override
        public void packA(Object a, int base, int rs, int cs, int mc, int kc, int mr, Object ap) {
            GemmPacking.packA((double[]) a, base, rs, cs, mc, kc, mr, (double[]) ap);
        }

        @Override
        public void packB(Object b, int base, int rs, int cs, int kc, int nc, int nr, Object bp) {
            GemmPacking.packB((double[]) b, base, rs, cs, kc, nc, nr, (double[]) bp);
        }

        @Override
        public void tile(GemmKernel kernel, int kc, Object ap, int ao, Object bp, int bo, Object c, int co, int ldc) {
            kernel.f64(kc, (double[]) ap, ao, (double[]) bp, bo, (double[]) c, co, ldc);
        }

        @Override
        public void direct(GemmKernel kernel, int rows, int cols, int k, Object a, int ao, int ars, int acs, Object b,
                int bo, int ldb, Object c, int co, int ldc) {
            kernel.directF64(rows, cols, k, (double[]) a, ao, ars, acs, (double[]) b, bo, ldb, (double[]) c, co, ldc);
        }

        @Override
        public int nr(GemmKernel kernel) {
            return kernel.nrF64();
        }

        @Override
        public int directWidth(GemmKernel kernel) {
            return kernel.directWidthF64();
        }

        @Override
        public int bytes() {
            return Double.BYTES;
        }

        @Override
        public int length(Object array) {
            return ((double[]) array).length;
        }
    };
}
