package io.corral.perf.report;

import io.corral.perf.scenario.StepResult;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report's PNG plots, drawn with XChart: latency by percentile per target, achieved against offered rate, and
 * goodput over time in an overload.
 */
final class Plots
{
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 680;
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e) };

    static
    {
        System.setProperty("java.awt.headless", "true");
        // ImageIO's file cache registers a shutdown hook per stream, which fails while a Ctrl-C shutdown writes
        // the partial report; plots are small enough for the memory cache.
        javax.imageio.ImageIO.setUseCache(false);
    }

    private Plots()
    {
    }

    /**
     * Latency by percentile: x is the number of nines (1 = 90 %, 2 = 99 %, 3 = 99.9 %), y the latency in ms.
     *
     * @param file      the PNG.
     * @param title     chart title.
     * @param histogram which histogram of each step.
     * @param steps     one step per series, by label.
     * @throws IOException if the file cannot be written.
     */
    static void percentiles(final Path file, final String title, final String histogram,
        final Map<String, StepResult> steps) throws IOException
    {
        final XYChart chart = chart(title, "percentile, in nines: 1 = 90 %, 2 = 99 %, 3 = 99.9 %, 4 = 99.99 %, " +
            "4.5 = max", histogram + " latency (ms, log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        int i = 0;
        for (final Map.Entry<String, StepResult> entry : steps.entrySet())
        {
            final Histogram h = entry.getValue().histogram(histogram);
            if (h.getTotalCount() == 0)
            {
                continue;
            }
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            for (double nines = 0; nines <= 4.0001; nines += 0.05)
            {
                final double percentile = 100 * (1 - Math.pow(10, -nines));
                x.add(nines);
                y.add(Math.max(0.001, h.getValueAtPercentile(percentile) / 1000.0));
            }
            x.add(4.5);
            y.add(Math.max(0.001, h.getMaxValue() / 1000.0));
            final XYSeries series = chart.addSeries(entry.getKey() + String.format(" at %.0f/s: p50 %.2f ms, " +
                "p99 %.2f ms, max %.2f ms, n=%d", entry.getValue().offeredRate(), h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, h.getTotalCount()), x, y);
            style(series, i++);
            series.setMarker(SeriesMarkers.NONE);
        }
        if (chart.getSeriesMap().isEmpty())
        {
            return;
        }
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(4.5);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Achieved rate against offered rate, one series per target, and the ideal diagonal.
     *
     * @param file   the PNG.
     * @param title  chart title.
     * @param steps  steps by target label, in offered order.
     * @throws IOException if the file cannot be written.
     */
    static void achievedVsOffered(final Path file, final String title, final Map<String, List<StepResult>> steps)
        throws IOException
    {
        final XYChart chart = chart(title, "offered (operations/s)", "achieved: succeeded operations/s");
        double maxOffered = 0;
        int i = 0;
        for (final Map.Entry<String, List<StepResult>> entry : steps.entrySet())
        {
            final List<StepResult> sorted = new ArrayList<>(entry.getValue());
            sorted.sort((a, b) -> Double.compare(a.offeredRate(), b.offeredRate()));
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            for (final StepResult step : sorted)
            {
                x.add(step.offeredRate());
                y.add(step.achievedRate());
                maxOffered = Math.max(maxOffered, step.offeredRate());
            }
            if (!x.isEmpty())
            {
                style(chart.addSeries(entry.getKey(), x, y), i++);
            }
        }
        if (chart.getSeriesMap().isEmpty())
        {
            return;
        }
        final XYSeries ideal = chart.addSeries("offered = achieved", List.of(0.0, maxOffered),
            List.of(0.0, maxOffered));
        ideal.setLineColor(Color.GRAY);
        ideal.setMarker(SeriesMarkers.NONE);
        ideal.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
            new float[] {6, 6}, 0));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Goodput (successful calls per second) and failures per second over an overload step, per target.
     *
     * @param file            the PNG.
     * @param title           chart title.
     * @param steps           the overload step of each target, by label.
     * @param overloadSeconds when the overload ended (marked by a vertical line).
     * @throws IOException if the file cannot be written.
     */
    static void goodput(final Path file, final String title, final Map<String, StepResult> steps,
        final int overloadSeconds) throws IOException
    {
        final XYChart chart = chart(title, "seconds since the overload started", "calls per second");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        int i = 0;
        double top = 1;
        for (final Map.Entry<String, StepResult> entry : steps.entrySet())
        {
            final StepResult step = entry.getValue();
            final long[] good = step.uac().succeededPerSecond();
            final long[] failed = step.uac().failedPerSecond();
            final long[] offered = step.uac().startedPerSecond();
            // Up to 4 s after the last call was due: the end of the drain, where every call still open is counted
            // as unfinished at once, would flatten the plot.
            final int seconds = Math.min(good.length, (int)Math.ceil(step.offerSeconds()) + 4);
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            final List<Double> f = new ArrayList<>();
            final List<Double> o = new ArrayList<>();
            for (int s = 0; s < seconds; s++)
            {
                x.add((double)s);
                y.add((double)good[s]);
                f.add((double)failed[s]);
                o.add((double)offered[s]);
                top = Math.max(top, Math.max(good[s], offered[s]));
            }
            final Color color = COLORS[i % COLORS.length];
            final XYSeries offeredSeries = chart.addSeries(entry.getKey() + " offered", x, o);
            offeredSeries.setMarker(SeriesMarkers.NONE);
            offeredSeries.setLineColor(color.brighter());
            offeredSeries.setLineWidth(1f);
            final XYSeries goodSeries = chart.addSeries(entry.getKey() + " goodput", x, y);
            goodSeries.setMarker(SeriesMarkers.NONE);
            goodSeries.setLineColor(color);
            goodSeries.setLineWidth(2.5f);
            final XYSeries failSeries = chart.addSeries(entry.getKey() + " failed", x, f);
            failSeries.setMarker(SeriesMarkers.NONE);
            failSeries.setLineColor(color);
            failSeries.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                new float[] {4, 4}, 0));
            i++;
        }
        if (chart.getSeriesMap().isEmpty())
        {
            return;
        }
        // Failures (retransmission storms, the drain) may spike far above the offered rate: clip them.
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(top * 1.15);
        final XYSeries end = chart.addSeries("overload ends", List.of((double)overloadSeconds,
            (double)overloadSeconds), List.of(0.0, top * 1.15));
        end.setMarker(SeriesMarkers.NONE);
        end.setLineColor(Color.GRAY);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(final String title, final String xTitle, final String yTitle)
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
            .yAxisTitle(yTitle).build();
        final Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        chart.getStyler()
            .setLegendPosition(Styler.LegendPosition.OutsideS)
            .setChartTitleFont(base.deriveFont(Font.BOLD, 18f))
            .setLegendFont(base)
            .setChartBackgroundColor(Color.WHITE)
            .setMarkerSize(7);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setAxisTitleFont(base).setAxisTickLabelsFont(base.deriveFont(13f))
            .setPlotBackgroundColor(Color.WHITE);
        return chart;
    }

    private static void style(final XYSeries series, final int index)
    {
        series.setLineColor(COLORS[index % COLORS.length]);
        series.setMarkerColor(COLORS[index % COLORS.length]);
        series.setLineWidth(2.5f);
    }
}
