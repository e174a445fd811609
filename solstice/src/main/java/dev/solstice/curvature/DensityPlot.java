package dev.solstice.curvature;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws a {@link Density} with {@code java.awt} (headless): log10 density against the eigenvalue, with axes. */
final class DensityPlot {
    private DensityPlot() {}

    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    /** Densities below this are drawn at the floor (log scale). */
    private static final double FLOOR = 1e-7;

    static void write(Density d, Path file) throws IOException {
        double[] x = d.grid();
        double[] y = d.density();
        double maxY = 0;
        for (double v : y) {
            maxY = Math.max(maxY, v);
        }
        double top = Math.log10(Math.max(maxY, FLOOR * 10));
        double bottom = Math.log10(FLOOR);
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int w = WIDTH - LEFT - RIGHT;
            int h = HEIGHT - TOP - BOTTOM;
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, w, h);
            g.drawString("Hessian eigenvalue density (stochastic Lanczos quadrature)", LEFT, TOP - 15);
            g.drawString("eigenvalue", LEFT + w / 2 - 30, HEIGHT - 15);
            g.drawString("log10 density", 5, TOP - 15);
            for (int t = 0; t <= 4; t++) {
                double xv = x[0] + (x[x.length - 1] - x[0]) * t / 4;
                int px = LEFT + w * t / 4;
                g.drawLine(px, TOP + h, px, TOP + h + 5);
                g.drawString(String.format(Locale.ROOT, "%.3g", xv), px - 20, TOP + h + 20);
                double yv = bottom + (top - bottom) * t / 4;
                int py = TOP + h - h * t / 4;
                g.drawLine(LEFT - 5, py, LEFT, py);
                g.drawString(String.format(Locale.ROOT, "%.1f", yv), LEFT - 45, py + 5);
            }
            g.setColor(new Color(0x1f, 0x77, 0xb4));
            g.setStroke(new BasicStroke(2f));
            int prevX = -1;
            int prevY = -1;
            for (int i = 0; i < x.length; i++) {
                int px = LEFT + (int) Math.round(w * (x[i] - x[0]) / Math.max(x[x.length - 1] - x[0], Double.MIN_NORMAL));
                double ly = Math.log10(Math.max(y[i], FLOOR));
                int py = TOP + h - (int) Math.round(h * (ly - bottom) / (top - bottom));
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                prevX = px;
                prevY = py;
            }
        } finally {
            g.dispose();
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".density", ".png.tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("Density.savePng: no PNG writer available");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
