package io.github.hidlr.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots with XChart: line charts of traces, and trajectories over contour lines. */
public final class Plots {

  private static final int WIDTH = 800;
  private static final int HEIGHT = 520;

  private Plots() {}

  /**
   * One line of a chart.
   *
   * @param name legend label
   * @param x abscissae
   * @param y ordinates (non-positive values are dropped on a log axis)
   */
  public record Line(String name, double[] x, double[] y) {}

  /**
   * A line chart saved as PNG into the run's folder.
   *
   * @param out the run's output
   * @param file file name ending in {@code .png}
   * @param title chart title
   * @param xLabel x-axis label
   * @param yLabel y-axis label
   * @param logY logarithmic y axis
   * @param lines the lines
   */
  public static void lines(RunOutput out, String file, String title, String xLabel, String yLabel,
      boolean logY, List<Line> lines) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    for (Line line : lines) {
      double[][] xy = logY ? positive(line.x(), line.y()) : new double[][] {line.x(), line.y()};
      if (xy[0].length == 0) {
        continue;
      }
      XYSeries series = chart.addSeries(line.name(), xy[0], xy[1]);
      series.setMarker(SeriesMarkers.NONE);
    }
    save(out, file, chart);
  }

  /**
   * Trajectories in the plane over contour lines of a function, saved as PNG.
   *
   * @param out the run's output
   * @param file file name
   * @param title chart title
   * @param f the function of (x, y)
   * @param bounds {@code {xMin, xMax, yMin, yMax}}
   * @param levels contour levels
   * @param paths trajectories, x and y per point
   */
  public static void contours(RunOutput out, String file, String title,
      java.util.function.DoubleBinaryOperator f, double[] bounds, double[] levels,
      List<Line> paths) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("x").yAxisTitle("y").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setXAxisMin(bounds[0]).setXAxisMax(bounds[1]);
    chart.getStyler().setYAxisMin(bounds[2]).setYAxisMax(bounds[3]);
    double[][] contour = Contours.points(f, bounds, levels, 240);
    if (contour[0].length > 0) {
      XYSeries lines = chart.addSeries("contours", contour[0], contour[1]);
      lines.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      lines.setMarker(SeriesMarkers.CIRCLE);
      lines.setMarkerColor(new Color(180, 180, 180));
      lines.setShowInLegend(false);
    }
    chart.getStyler().setMarkerSize(2);
    for (Line path : paths) {
      XYSeries series = chart.addSeries(path.name(), path.x(), path.y());
      series.setMarker(SeriesMarkers.CIRCLE);
      series.setLineStyle(new BasicStroke(1.5f));
    }
    save(out, file, chart);
  }

  private static void save(RunOutput out, String file, XYChart chart) {
    try {
      BitmapEncoder.saveBitmap(chart, out.dir().resolve(file).toString(),
          BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plot " + file, e);
    }
    out.plotWritten(file);
  }

  private static double[][] positive(double[] x, double[] y) {
    int n = 0;
    for (int i = 0; i < y.length; i++) {
      if (y[i] > 0 && Double.isFinite(y[i])) {
        n++;
      }
    }
    double[] px = new double[n];
    double[] py = new double[n];
    int j = 0;
    for (int i = 0; i < y.length; i++) {
      if (y[i] > 0 && Double.isFinite(y[i])) {
        px[j] = x[i];
        py[j++] = y[i];
      }
    }
    return new double[][] {px, py};
  }
}
