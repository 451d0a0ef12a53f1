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
   * A line chart saved as PNG into the run's folder. Lines are styled by name, so that a
   * person can read the chart at a glance: one hue per method (the name up to its first
   * space), one shade and dash per group of the same method (solid, dashed and lighter,
   * dotted and darker, in the order given: A, B, head), the Hi-DLR methods drawn after the others and {@code hi-dlr}
   * last and thickest; step ticks at round numbers, and labels between decades on a log axis.
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
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = 0;
    for (Line line : lines) {
      for (double y : line.y()) {
        if (y > 0 && Double.isFinite(y)) {
          yMin = Math.min(yMin, y);
          yMax = Math.max(yMax, y);
        }
      }
    }
    // Within two decades a log axis labels 2, 3, 5 too; over more, the decades alone are read;
    // within a factor of 3 a log axis has too few labels to read, and a linear one is as good.
    chart.getStyler().setYAxisLogarithmicDecadeOnly(!(yMax / yMin < 100));
    if (logY && yMax / yMin < 3) {
      chart.getStyler().setYAxisLogarithmic(false);
    }
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    double xMin = Double.POSITIVE_INFINITY;
    for (Line line : lines) {
      for (double x : line.x()) {
        xMin = Math.min(xMin, x);
      }
    }
    if (xMin >= 0 && xMin <= 1) {
      // steps 1…T: start the axis at 0 so that its ticks fall on round numbers
      chart.getStyler().setXAxisMin(0.0);
    }
    chart.getStyler().setXAxisDecimalPattern("#,##0.###");
    chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(11f));
    addStyled(chart, lines, logY);
    roundTicks(chart, lines);
    save(out, file, chart);
  }

  /**
   * XChart puts the x ticks on data points when every x value is equally spaced (steps 1, 16,
   * 31, … whose labels run together); one hidden point between two steps makes it choose
   * round ticks (0, 50, 100, …) instead.
   */
  private static void roundTicks(XYChart chart, List<Line> lines) {
    for (Line line : lines) {
      if (line.x().length >= 2 && line.y().length >= 1 && line.y()[0] > 0) {
        XYSeries hidden = chart.addSeries(" ", new double[] {(line.x()[0] + line.x()[1]) / 2},
            new double[] {line.y()[0]});
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setShowInLegend(false);
        hidden.setLineColor(new Color(0, 0, 0, 0));
        return;
      }
    }
  }

  /** Adds the lines with the styling of {@link #lines}; {@code truth} is drawn in black. */
  private static void addStyled(XYChart chart, List<Line> lines, boolean logY) {
    List<String> methods = new java.util.ArrayList<>();
    for (Line line : lines) {
      String m = method(line.name());
      if (!methods.contains(m) && !m.equals(TRUTH) && !m.equals(HEADLINE)) {
        methods.add(m);
      }
    }
    // Hi-DLR last, so that it is drawn on top of the others; the default last of all.
    List<Line> ordered = new java.util.ArrayList<>(lines);
    ordered.sort(java.util.Comparator.comparingInt(l -> drawOrder(method(l.name()))));
    java.util.Map<String, Integer> groupIndex = new java.util.HashMap<>();
    for (Line line : ordered) {
      double[][] xy = kept(line.x(), line.y(), logY);
      if (xy[0].length == 0) {
        continue;
      }
      String method = method(line.name());
      int group = groupIndex.merge(method, 1, Integer::sum) - 1;
      XYSeries series = chart.addSeries(line.name(), xy[0], xy[1]);
      series.setMarker(SeriesMarkers.NONE);
      if (method.equals(TRUTH)) {
        series.setLineColor(Color.BLACK);
        series.setLineStyle(new BasicStroke(3.5f));
        continue;
      }
      Color hue = method.equals(HEADLINE) ? HEADLINE_COLOR
          : PALETTE[methods.indexOf(method) % PALETTE.length];
      series.setLineColor(shade(hue, group));
      float width = method.equals(HEADLINE) ? 3f : method.startsWith("hi-dlr") ? 2f : 1.4f;
      series.setLineStyle(stroke(group, width));
    }
  }

  /** The name of a line that is the known truth, drawn in black under the methods. */
  public static final String TRUTH = "truth";

  /**
   * Small multiples: one chart per panel, three to a row, in one PNG, styled like
   * {@link #lines} with the same hue for a method in every panel; a line named
   * {@value #TRUTH} is drawn in black.
   *
   * @param out the run's output
   * @param file file name ending in {@code .png}
   * @param title the title above the panels
   * @param xLabel x-axis label of every panel
   * @param yLabel y-axis label of every panel
   * @param panels the panels: a title and its lines, the same methods in the same order
   */
  public static void panels(RunOutput out, String file, String title, String xLabel,
      String yLabel, List<Panel> panels) {
    int columns = Math.min(3, panels.size());
    int rows = (panels.size() + columns - 1) / columns;
    int w = 420;
    int h = 320;
    int top = 40;
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(columns * w,
        top + rows * h, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
        java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setFont(g.getFont().deriveFont(java.awt.Font.BOLD, 16f));
    g.drawString(title, 12, 26);
    for (int i = 0; i < panels.size(); i++) {
      Panel panel = panels.get(i);
      XYChart chart = new XYChartBuilder().width(w).height(h).title(panel.title())
          .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
      chart.getStyler().setChartBackgroundColor(Color.WHITE);
      chart.getStyler().setMarkerSize(0);
      chart.getStyler().setLegendVisible(i == 0);
      chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
      chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(9f));
      addStyled(chart, panel.lines(), false);
      g.drawImage(BitmapEncoder.getBufferedImage(chart), (i % columns) * w,
          top + (i / columns) * h, null);
    }
    g.dispose();
    java.nio.file.Path path = out.dir().resolve(file);
    try {
      javax.imageio.ImageIO.write(image, "png", path.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plot " + file, e);
    }
    out.plotWritten(file);
  }

  /**
   * One panel of {@link #panels}.
   *
   * @param title the panel's title
   * @param lines its lines
   */
  public record Panel(String title, List<Line> lines) {}

  /** The method whose line is the headline: drawn last and thickest. */
  static final String HEADLINE = "hi-dlr";

  /** The headline's hue in every plot (vermillion). */
  private static final Color HEADLINE_COLOR = new Color(213, 94, 0);

  /** Distinct hues for the other methods (Okabe–Ito, then Tableau). */
  private static final Color[] PALETTE = {
      new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115),
      new Color(204, 121, 167), new Color(86, 180, 233),
      new Color(140, 86, 75), new Color(127, 127, 127), new Color(188, 189, 34),
      new Color(148, 103, 189), new Color(240, 228, 66), new Color(23, 190, 207)};

  /** A line's method: its name up to the first space ({@code "hi-dlr A"} → {@code hi-dlr}). */
  static String method(String name) {
    int space = name.indexOf(' ');
    return space < 0 ? name : name.substring(0, space);
  }

  private static int drawOrder(String method) {
    return method.equals(HEADLINE) ? 2 : method.startsWith("hi-dlr") ? 1 : 0;
  }

  /**
   * The k-th group of a method in the method's hue: as is, lighter, darker. XChart draws a
   * line of many short segments with the dash restarting on each, so a dash alone does not
   * show on a flat rate; the shade does.
   */
  private static Color shade(Color color, int k) {
    double toward = k % 3 == 1 ? 0.45 : k % 3 == 2 ? -0.35 : 0;
    int base = toward > 0 ? 255 : 0;
    double f = Math.abs(toward);
    return new Color((int) Math.round(color.getRed() * (1 - f) + base * f),
        (int) Math.round(color.getGreen() * (1 - f) + base * f),
        (int) Math.round(color.getBlue() * (1 - f) + base * f));
  }

  /** The k-th group of a method: solid, dashed, dotted, dash-dotted. */
  private static BasicStroke stroke(int k, float width) {
    float[][] dashes = {null, {9f, 5f}, {2f, 4f}, {9f, 4f, 2f, 4f}};
    float[] dash = dashes[k % dashes.length];
    return dash == null ? new BasicStroke(width)
        : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f);
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
    List<Line> ordered = new java.util.ArrayList<>(paths);
    ordered.sort(java.util.Comparator.comparingInt(l -> drawOrder(method(l.name()))));
    int other = 0;
    for (Line path : ordered) {
      double[][] xy = kept(path.x(), path.y(), false);
      XYSeries series = chart.addSeries(path.name(), xy[0], xy[1]);
      series.setMarker(SeriesMarkers.CIRCLE);
      boolean headline = method(path.name()).equals(HEADLINE);
      Color hue = headline ? HEADLINE_COLOR : PALETTE[other++ % PALETTE.length];
      series.setLineColor(hue);
      series.setMarkerColor(hue);
      series.setLineStyle(new BasicStroke(headline ? 3f : 1.5f));
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

  /**
   * The points a chart can draw: finite, and positive on a log axis. A diverged run's NaN or
   * infinite values end its line where it diverged instead of failing the plot.
   */
  private static double[][] kept(double[] x, double[] y, boolean logY) {
    int n = 0;
    for (int i = 0; i < y.length; i++) {
      if (keep(x[i], y[i], logY)) {
        n++;
      }
    }
    double[] px = new double[n];
    double[] py = new double[n];
    int j = 0;
    for (int i = 0; i < y.length; i++) {
      if (keep(x[i], y[i], logY)) {
        px[j] = x[i];
        py[j++] = y[i];
      }
    }
    return new double[][] {px, py};
  }

  private static boolean keep(double x, double y, boolean logY) {
    return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
  }
}
