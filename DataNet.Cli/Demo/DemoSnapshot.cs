using System;
using DataNet.Td;

namespace DataNet.Cli.Demo;

/// <summary>One frame of the TD side, copied on the polling thread for the renderer to read on its own.</summary>
internal sealed record DemoSnapshot
{
    public static readonly DemoSnapshot Empty = new()
    {
        Status = "Starting",
        Stats = null,
        Rows = [],
        Names = [],
        Values = [],
    };

    public required string Status { get; init; }

    public required DataNetStats? Stats { get; init; }

    /// <summary>The row table, oldest first, <see cref="RowBatch.ColumnCount"/> cells each.</summary>
    public required string[][] Rows { get; init; }

    public int RowLimit { get; init; }

    public long RowsAppended { get; init; }

    public long RowsTrimmed { get; init; }

    /// <summary>Flattened numeric values, channel-prefixed, in their stable order.</summary>
    public required string[] Names { get; init; }

    public required double[] Values { get; init; }

    public long LayoutVersion { get; init; }

    public long Frames { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>Mean and worst time spent in one frame's Poll + TakeRows + value copy.</summary>
    public double MeanFrameWorkMs { get; init; }

    public double MaxFrameWorkMs { get; init; }

    /// <summary>Messages that reached the TD side (dispatched by Poll).</summary>
    public long Dispatched => Stats?.Dispatched ?? 0;

    public double FramesPerSecond => Elapsed.TotalSeconds > 0 ? Frames / Elapsed.TotalSeconds : 0;
}
