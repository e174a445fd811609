package dev.solstice.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * NumPy's float formatting for the elements an array prints ({@code floatmode='maxprec'}, precision 8): each
 * value with the digits that tell it apart from its neighbours in its own type, at most 8 after the point,
 * decimal points aligned; scientific notation for the whole array when a nonzero magnitude is at least 1e8,
 * below 1e-4, or the largest is over 1000 times the smallest. Unlike NumPy a whole number keeps one zero after
 * the point ({@code 1.0}, NumPy's {@code 1.}); non-finite values print as NumPy's {@code nan}, {@code inf}.
 */
final class FloatFormat {
    private static final int PRECISION = 8;

    private final boolean scientific;
    private final int intWidth;       // fixed: the widest part before the point; scientific: the widest string
    private final int fractionWidth;  // fixed: the most digits after the point; scientific: mantissa digits

    private FloatFormat(boolean scientific, int intWidth, int fractionWidth) {
        this.scientific = scientific;
        this.intWidth = intWidth;
        this.fractionWidth = fractionWidth;
    }

    /** The format for these values, each given as its shortest round-trip string in its own type. */
    static FloatFormat of(List<Double> values, List<String> shortest) {
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v) && v != 0) {
                max = Math.max(max, Math.abs(v));
                min = Math.min(min, Math.abs(v));
            }
        }
        boolean scientific = max >= 1e8 || max > 0 && (min < 1e-4 || max / min > 1e3);
        int digits = 1;
        for (int i = 0; i < values.size(); i++) {
            if (Double.isFinite(values.get(i))) {
                BigDecimal d = rounded(shortest.get(i), scientific);
                digits = Math.max(digits, scientific ? d.precision() - 1 : d.scale());
            }
        }
        FloatFormat unpadded = new FloatFormat(scientific, 0, digits);
        int width = 0;
        for (int i = 0; i < values.size(); i++) {
            if (!Double.isFinite(values.get(i))) {
                continue;   // right-aligned to the others' width
            }
            String s = unpadded.format(values.get(i), shortest.get(i));
            int point = s.indexOf('.');
            width = Math.max(width, scientific || point < 0 ? s.length() : point);
        }
        return new FloatFormat(scientific, width, digits);
    }

    /** The value, padded to the common layout. */
    String format(double v, String shortest) {
        String s;
        if (!Double.isFinite(v)) {
            s = Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
            int width = scientific ? intWidth : intWidth + 1 + fractionWidth;
            return " ".repeat(Math.max(0, width - s.length())) + s;
        } else if (scientific) {
            s = String.format(Locale.ROOT, "%." + fractionWidth + "e", rounded(shortest, true));
        } else {
            s = rounded(shortest, false).toPlainString();
            if (s.indexOf('.') < 0) {
                s += ".0";
            }
        }
        if (v == 0 && Double.doubleToRawLongBits(v) != 0) {
            s = "-" + s;   // BigDecimal has no negative zero; NumPy prints -0.
        }
        if (scientific) {
            return " ".repeat(Math.max(0, intWidth - s.length())) + s;
        }
        int point = s.indexOf('.');
        int before = point < 0 ? s.length() : point;
        int after = point < 0 ? 0 : s.length() - point - 1;
        return " ".repeat(Math.max(0, intWidth - before)) + s + " ".repeat(Math.max(0, fractionWidth - after)
                + (point < 0 ? 1 : 0));
    }

    /** The shortest string cut to 8 digits after the point (fixed) or 9 significant digits (scientific). */
    private static BigDecimal rounded(String shortest, boolean scientific) {
        BigDecimal d = new BigDecimal(shortest);
        d = scientific ? d.round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN))
                : d.scale() > PRECISION ? d.setScale(PRECISION, RoundingMode.HALF_EVEN) : d;
        d = d.stripTrailingZeros();
        return !scientific && d.scale() < 0 ? d.setScale(0) : d;
    }
}
