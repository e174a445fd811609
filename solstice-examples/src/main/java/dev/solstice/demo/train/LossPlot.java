package dev.solstice.demo.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws line charts of per-epoch curves (training and test loss) to a PNG with {@code java.awt} in headless
 * mode: axes, ticks, tick labels, axis titles and a legend are drawn by hand, so no charting library is needed.
 */
public final class LossPlot {
    private LossPlot() {}

    /**
     * One curve: a name for the legend, its colour and one value per epoch (epoch 1 first).
     *
     * @param name the legend entry
     * @param color the line colour
     * @param values the values; non-finite ones are skipped
     */
    public record Series(String name, Color color, double[] values) {
        /** Copies the values. */
        public Series {
            values = values.clone();
        }

        /** A copy of the values. */
        @Override
        public double[] values() {
            return values.clone();
        }
    }

    /** Width of the image in pixels. */
    public static final int WIDTH = 800;
    /** Height of the image in pixels. */
    public static final int HEIGHT = 500;

    /**
     * Renders the curves against the epoch number (1, 2, ...) and writes them as a PNG to {@code file}
     * (through a temporary file in the same folder, then a rename, so a failed write leaves no partial file).
     *
     * @param file the PNG to write
     * @param title the chart title
     * @param yLabel the title of the vertical axis
     * @param series the curves, at least one with at least one finite value
     * @throws IllegalArgumentException when there is nothing to plot
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, String title, String yLabel, List<Series> series) throws IOException {
        BufferedImage img = render(title, yLabel, series);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".plot", ".png.tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("LossPlot: no PNG writer available");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Renders the chart to an image (see {@link #write}). */
    public static BufferedImage render(String title, String yLabel, List<Series> series) {
        System.setProperty("java.awt.headless", "true");
        int maxLen = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            maxLen = Math.max(maxLen, s.values.length);
            for (double v : s.values) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (maxLen == 0 || lo > hi) {
            throw new IllegalArgumentException("LossPlot: no finite values to plot");
        }
        lo = Math.min(0, lo);
        if (hi <= lo) {
            hi = lo + 1;
        }
        double step = niceStep((hi - lo) / 5);
        hi = Math.ceil(hi / step) * step;
        lo = Math.floor(lo / step) * step;

        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int left = 80;
            int right = WIDTH - 30;
            int top = 50;
            int bottom = HEIGHT - 60;
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            // title
            g.setColor(Color.BLACK);
            g.setFont(font.deriveFont(Font.BOLD, 16f));
            FontMetrics tfm = g.getFontMetrics();
            g.drawString(title, (WIDTH - tfm.stringWidth(title)) / 2, 30);
            g.setFont(font);
            // grid and y ticks
            double xMax = Math.max(2, maxLen);
            for (double y = lo; y <= hi + step / 2; y += step) {
                int py = py(y, lo, hi, top, bottom);
                g.setColor(new Color(225, 225, 225));
                g.drawLine(left, py, right, py);
                g.setColor(Color.BLACK);
                g.drawLine(left - 5, py, left, py);
                String lab = fmt(y, step);
                g.drawString(lab, left - 8 - fm.stringWidth(lab), py + fm.getAscent() / 2 - 1);
            }
            // x ticks (epochs)
            int xStep = Math.max(1, (int) niceStep(xMax / 10));
            for (int e = 1; e <= maxLen; e++) {
                if (e != 1 && e % xStep != 0) {
                    continue;
                }
                int px = px(e, xMax, left, right);
                g.setColor(Color.BLACK);
                g.drawLine(px, bottom, px, bottom + 5);
                String lab = Integer.toString(e);
                g.drawString(lab, px - fm.stringWidth(lab) / 2, bottom + 8 + fm.getAscent());
            }
            // axes
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            g.drawLine(left, top, left, bottom);
            g.drawLine(left, bottom, right, bottom);
            String xTitle = "epoch";
            g.drawString(xTitle, (left + right - fm.stringWidth(xTitle)) / 2, HEIGHT - 15);
            Graphics2D rot = (Graphics2D) g.create();
            rot.rotate(-Math.PI / 2);
            rot.drawString(yLabel, -(top + bottom + fm.stringWidth(yLabel)) / 2, 22);
            rot.dispose();
            // curves
            g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (Series s : series) {
                g.setColor(s.color);
                int prevX = -1;
                int prevY = -1;
                for (int i = 0; i < s.values.length; i++) {
                    double v = s.values[i];
                    if (!Double.isFinite(v)) {
                        prevX = -1;
                        continue;
                    }
                    int x = px(i + 1, xMax, left, right);
                    int y = py(v, lo, hi, top, bottom);
                    if (prevX >= 0) {
                        g.drawLine(prevX, prevY, x, y);
                    }
                    g.fillOval(x - 3, y - 3, 6, 6);
                    prevX = x;
                    prevY = y;
                }
            }
            // legend
            int lw = 0;
            for (Series s : series) {
                lw = Math.max(lw, fm.stringWidth(s.name));
            }
            int boxW = lw + 50;
            int boxH = series.size() * 20 + 10;
            int bx = right - boxW - 10;
            int by = top + 10;
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.WHITE);
            g.fillRect(bx, by, boxW, boxH);
            g.setColor(Color.GRAY);
            g.drawRect(bx, by, boxW, boxH);
            for (int i = 0; i < series.size(); i++) {
                Series s = series.get(i);
                int ly = by + 15 + 20 * i;
                g.setColor(s.color);
                g.setStroke(new BasicStroke(2.2f));
                g.drawLine(bx + 8, ly, bx + 33, ly);
                g.setColor(Color.BLACK);
                g.drawString(s.name, bx + 40, ly + fm.getAscent() / 2 - 1);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static int px(double e, double xMax, int left, int right) {
        return (int) Math.round(left + (e - 1) / (xMax - 1) * (right - left));
    }

    private static int py(double v, double lo, double hi, int top, int bottom) {
        return (int) Math.round(bottom - (v - lo) / (hi - lo) * (bottom - top));
    }

    private static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * mag;
    }

    private static String fmt(double v, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
