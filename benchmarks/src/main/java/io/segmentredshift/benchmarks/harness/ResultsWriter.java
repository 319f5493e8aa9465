package io.segmentredshift.benchmarks.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes a {@link Report} as {@code <name>.md}, a Markdown table with the date and machine on top,
 * and {@code <name>.png}, a bar chart of each row's ratio to its baseline drawn with Java2D (no
 * display needed: the writer runs AWT headless).
 *
 * <pre>{@code
 * ResultsWriter.Files files = ResultsWriter.write(Path.of("benchmarks/results"), "ingest", report);
 * }</pre>
 */
public final class ResultsWriter {
  static {
    // Rendering into an image needs no display; without this AWT may look for one and fail.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x7f7f7f)
  };
  private static final int WIDTH = 1240;
  private static final int LABEL_WIDTH = 520;
  private static final int VALUE_WIDTH = 230;
  private static final int ROW_HEIGHT = 26;
  private static final int TOP = 70;
  private static final int MARGIN = 20;

  private ResultsWriter() {}

  /**
   * The two files written.
   *
   * @param markdown the table
   * @param chart the PNG
   */
  public record Written(Path markdown, Path chart) {}

  /**
   * Writes both files into {@code directory} (created if absent), replacing earlier ones.
   *
   * @param name the base name, such as "ingest"; letters, digits, '-' and '_' only
   */
  public static Written write(Path directory, String name, Report report) throws IOException {
    if (directory == null) {
      throw new NullPointerException("directory == null");
    }
    if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("name is not [A-Za-z0-9_-]+: " + name);
    }
    if (report == null) {
      throw new NullPointerException("report == null");
    }
    Files.createDirectories(directory);
    Path markdown = directory.resolve(name + ".md");
    Path chart = directory.resolve(name + ".png");
    Files.writeString(
        markdown, markdown(report, chart.getFileName().toString()), StandardCharsets.UTF_8);
    writeChart(chart, report);
    return new Written(markdown, chart);
  }

  /** The Markdown text of a report whose chart is the file {@code chartFile} beside it. */
  static String markdown(Report report, String chartFile) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(report.title()).append("\n\n");
    md.append("Run ").append(DATE.format(report.date())).append(" on ");
    md.append(report.machine().markdown()).append(".\n\n");
    md.append(table(report.rows()));
    md.append("\n![Each figure as a ratio to its baseline](").append(chartFile).append(")\n");
    for (String note : report.notes()) {
      md.append('\n').append(note.strip()).append('\n');
    }
    return md.toString();
  }

  /**
   * The rows as a Markdown table: benchmark, variant, metric, value, baseline and ratio ("–" where
   * there is no baseline).
   */
  public static String table(List<ResultRow> rows) {
    StringBuilder md = new StringBuilder();
    md.append("| benchmark | variant | metric | value | baseline | ratio |\n");
    md.append("|---|---|---|---:|---:|---:|\n");
    for (ResultRow row : rows) {
      md.append("| ")
          .append(cell(row.benchmark()))
          .append(" | ")
          .append(cell(row.variant()))
          .append(" | ")
          .append(cell(row.metric()))
          .append(" | ")
          .append(number(row.value()))
          .append(" | ")
          .append(number(row.baseline()))
          .append(" | ")
          .append(row.hasRatio() ? ratio(row.ratio()) : "–")
          .append(" |\n");
    }
    return md.toString();
  }

  /** Draws the report's chart (see {@link #write}) into {@code file}, replacing it. */
  public static Path writeChart(Path file, Report report) throws IOException {
    if (file == null) {
      throw new NullPointerException("file == null");
    }
    if (report == null) {
      throw new NullPointerException("report == null");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(chart(report), "png", file.toFile())) {
      throw new IOException("no PNG writer in this JDK");
    }
    return file;
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /** A ratio with two decimals, or three below 0.1 so that 0.016 does not read as 0.02. */
  public static String ratio(double ratio) {
    return String.format(Locale.ROOT, ratio < 0.1 ? "%.3f" : "%.2f", ratio);
  }

  /**
   * A figure for people: thousands grouped and no decimals from 100 up, else three significant
   * digits; "–" for NaN.
   */
  public static String number(double value) {
    if (Double.isNaN(value)) {
      return "–";
    }
    double abs = Math.abs(value);
    String pattern;
    if (abs >= 100 || value == 0) {
      pattern = "#,##0";
    } else if (abs >= 10) {
      pattern = "0.0";
    } else if (abs >= 1) {
      pattern = "0.00";
    } else {
      pattern = "0.000";
    }
    return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT)).format(value);
  }

  /**
   * Draws the ratio of every row that has one as a bar from the baseline (1.0) on a logarithmic
   * axis: left of the line is below the baseline, right above, and 0.5 is as far from 1 as 2 is.
   * Rows are grouped by benchmark; the figures themselves are written beside each bar.
   */
  static BufferedImage chart(Report report) {
    List<ResultRow> rows = new ArrayList<>();
    for (ResultRow row : report.rows()) {
      if (row.hasRatio() && row.ratio() > 0) {
        rows.add(row);
      }
    }
    Map<String, Color> colors = new LinkedHashMap<>();
    for (ResultRow row : rows) {
      colors.computeIfAbsent(row.metric(), m -> PALETTE[colors.size() % PALETTE.length]);
    }
    int groups = (int) rows.stream().map(ResultRow::benchmark).distinct().count();
    int plotHeight = Math.max(1, rows.size()) * ROW_HEIGHT + Math.max(0, groups - 1) * 8;
    int height = TOP + plotHeight + 96;
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);

      Font title = new Font(Font.SANS_SERIF, Font.BOLD, 16);
      Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
      Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
      g.setColor(Color.BLACK);
      g.setFont(title);
      g.drawString(fit(g, report.title(), WIDTH - 2 * MARGIN), MARGIN, 26);
      g.setFont(small);
      g.setColor(Color.DARK_GRAY);
      g.drawString(
          fit(
              g,
              "Each figure as a ratio to the baseline measured in the same run (log scale; 1 ="
                  + " baseline). "
                  + DATE.format(report.date()),
              WIDTH - 2 * MARGIN),
          MARGIN,
          46);

      double lo = 1;
      double hi = 1;
      for (ResultRow row : rows) {
        lo = Math.min(lo, row.ratio());
        hi = Math.max(hi, row.ratio());
      }
      Axis axis = new Axis(tickBelow(Math.min(lo / 1.15, 0.5)), tickAbove(Math.max(hi * 1.15, 2)));
      int plotLeft = MARGIN + LABEL_WIDTH;
      int plotWidth = WIDTH - plotLeft - VALUE_WIDTH - MARGIN;

      g.setFont(small);
      for (double t : axis.ticks()) {
        int x = plotLeft + axis.x(t, plotWidth);
        g.setColor(new Color(0xe6e6e6));
        g.drawLine(x, TOP - 6, x, TOP + plotHeight);
        g.setColor(Color.GRAY);
        String text = tickLabel(t);
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, TOP + plotHeight + 16);
      }
      int one = plotLeft + axis.x(1, plotWidth);

      int y = TOP;
      String group = null;
      for (ResultRow row : rows) {
        if (!row.benchmark().equals(group)) {
          if (group != null) {
            y += 8;
            g.setColor(new Color(0xbbbbbb));
            g.drawLine(MARGIN, y - 4, WIDTH - MARGIN, y - 4);
          }
          group = row.benchmark();
        }
        g.setFont(label);
        FontMetrics fm = g.getFontMetrics();
        int baseline = y + (ROW_HEIGHT + fm.getAscent()) / 2 - 2;
        g.setColor(Color.BLACK);
        String text = row.benchmark() + " · " + row.variant() + " · " + row.metric();
        g.drawString(fit(g, text, LABEL_WIDTH - 10), MARGIN, baseline);
        int end = plotLeft + axis.x(row.ratio(), plotWidth);
        g.setColor(colors.get(row.metric()));
        if (Math.abs(end - one) < 2) {
          g.fillRect(one - 2, y + 4, 4, ROW_HEIGHT - 8);
        } else {
          g.fillRect(Math.min(one, end), y + 4, Math.abs(end - one), ROW_HEIGHT - 8);
        }
        g.setFont(small);
        g.setColor(Color.BLACK);
        g.drawString(
            ratio(row.ratio())
                + "×"
                + "  ("
                + number(row.value())
                + " vs "
                + number(row.baseline())
                + ")",
            plotLeft + plotWidth + 12,
            baseline);
        y += ROW_HEIGHT;
      }

      g.setColor(Color.BLACK);
      g.setStroke(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
      g.drawLine(one, TOP - 8, one, TOP + plotHeight);

      // Legend: one swatch per metric, and the machine underneath.
      int lx = MARGIN;
      int ly = height - 54;
      g.setFont(small);
      for (Map.Entry<String, Color> entry : colors.entrySet()) {
        g.setColor(entry.getValue());
        g.fillRect(lx, ly - 9, 12, 10);
        g.setColor(Color.BLACK);
        g.drawString(entry.getKey(), lx + 16, ly);
        lx += 16 + g.getFontMetrics().stringWidth(entry.getKey()) + 18;
      }
      g.setColor(Color.DARK_GRAY);
      List<String> lines = wrap(g, report.machine().markdown(), WIDTH - 2 * MARGIN);
      for (int i = 0; i < Math.min(2, lines.size()); i++) {
        g.drawString(fit(g, lines.get(i), WIDTH - 2 * MARGIN), MARGIN, height - 30 + 15 * i);
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** A logarithmic axis from {@code lo} to {@code hi}, both on the 1-2-5 sequence. */
  private record Axis(double lo, double hi) {
    int x(double ratio, int width) {
      double clamped = Math.max(lo, Math.min(hi, ratio));
      return (int) Math.round(Math.log(clamped / lo) / Math.log(hi / lo) * width);
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      for (double t = lo; t <= hi * 1.0001; t = nextTick(t)) {
        ticks.add(t);
      }
      return ticks;
    }
  }

  /** The largest value of the 1-2-5 sequence at or below {@code value}. */
  static double tickBelow(double value) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    double best = magnitude;
    for (double step : new double[] {1, 2, 5}) {
      if (step * magnitude <= value * 1.0001) {
        best = step * magnitude;
      }
    }
    return best;
  }

  /** The value after {@code tick} in the 1-2-5 sequence: 0.1, 0.2, 0.5, 1, 2, 5, 10, ... */
  static double nextTick(double tick) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(tick) + 1e-9));
    long mantissa = Math.round(tick / magnitude);
    return mantissa >= 5 ? 10 * magnitude : mantissa >= 2 ? 5 * magnitude : 2 * magnitude;
  }

  /** The smallest value of the 1-2-5 sequence at or above {@code value}. */
  static double tickAbove(double value) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * magnitude >= value * 0.9999) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String tickLabel(double t) {
    if (t >= 1) {
      return String.format(Locale.ROOT, "%.0f", t);
    }
    return new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(t);
  }

  // Breaks after "; " or ", " so that the machine line stays readable at the foot of the chart.
  private static List<String> wrap(Graphics2D g, String text, int width) {
    FontMetrics fm = g.getFontMetrics();
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String part : text.split("(?<=[;,] )")) {
      if (line.length() > 0 && fm.stringWidth(line + part) > width) {
        lines.add(line.toString().strip());
        line.setLength(0);
      }
      line.append(part);
    }
    lines.add(line.toString().strip());
    return lines;
  }

  private static String fit(Graphics2D g, String text, int width) {
    FontMetrics fm = g.getFontMetrics();
    if (fm.stringWidth(text) <= width) {
      return text;
    }
    String cut = text;
    while (!cut.isEmpty() && fm.stringWidth(cut + "…") > width) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "…";
  }
}
