package tfobench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a chart as {@code <name>.png} and {@code <name>.svg}. */
final class ChartFiles {
    private ChartFiles() {
    }

    static List<Path> write(XYChart chart, Path dir, String name) throws IOException {
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        try (OutputStream out = Files.newOutputStream(svg)) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
        return List.of(png, svg);
    }

    /** A setting as a file name part: {@code native same-cpu} becomes {@code native-same-cpu}. */
    static String slug(String text) {
        String slug = text.trim().replaceAll("[^A-Za-z0-9._=-]+", "-").replace('=', '_');
        return slug.isEmpty() ? "all" : slug;
    }
}
