using System;
using System.Globalization;
using System.Text;

namespace DataNet.Cli.Demo;

/// <summary>The demo as plain lines: for pipes, CI logs and terminals that cannot redraw.</summary>
internal static class DemoText
{
    public static string StatsLine(DemoSnapshot snapshot)
    {
        var stats = snapshot.Stats;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"frames {snapshot.Frames} ({snapshot.FramesPerSecond:0} /s) | poll {snapshot.MeanFrameWorkMs:0.000} ms mean, {snapshot.MaxFrameWorkMs:0.000} max | " +
            $"received {stats?.Received ?? 0} | dispatched {stats?.Dispatched ?? 0} | dropped {stats?.Dropped ?? 0} | " +
            $"rows {snapshot.RowsAppended} ({snapshot.RowsTrimmed} trimmed) | latency {stats?.LatencyMs ?? 0:0.0} ms");
    }

    /// <summary>One progress line: elapsed time, status, stats and every value.</summary>
    public static string ProgressLine(DemoSnapshot snapshot)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"[{snapshot.Elapsed.TotalSeconds,5:0.0} s] {snapshot.Status} | {StatsLine(snapshot)}");
        return line.ToString();
    }

    /// <summary>The CHOP values, a few per line.</summary>
    public static string ValuesLine(DemoSnapshot snapshot)
    {
        var line = new StringBuilder("  values:");
        for (var i = 0; i < snapshot.Names.Length && i < snapshot.Values.Length; i++)
        {
            line.Append(CultureInfo.InvariantCulture, $" {snapshot.Names[i]}={snapshot.Values[i]:0.###}");
        }

        return line.ToString();
    }

    /// <summary>The newest row of the table, as TD would show it.</summary>
    public static string NewestRowLine(DemoSnapshot snapshot) => snapshot.Rows.Length == 0
        ? "  newest row: (none yet)"
        : $"  newest row: {string.Join(" | ", snapshot.Rows[^1])}";

    public static string Elapsed(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0 's'", CultureInfo.InvariantCulture);
}
