using System;

namespace DataNet.Td;

/// <summary>
/// Received messages for a Table DAT, handed over in bulk: <see cref="Count"/> rows, row-major in <see cref="Cells"/>,
/// <see cref="ColumnCount"/> cells per row in <see cref="Header"/> order. Binary messages carry base64 in <c>data</c>.
/// </summary>
public sealed class RowBatch
{
    /// <summary>Cells per row.</summary>
    public const int ColumnCount = 5;

    /// <summary>The separator of <see cref="JoinCells"/>: U+001F, the ASCII unit separator (never unescaped in JSON text).</summary>
    public const char CellSeparator = '\u001f';

    private static readonly string[] HeaderCells = { "channel", "from", "timestamp", "contentType", "data" };

    internal RowBatch(int count, string[] cells, long dropped)
    {
        Count = count;
        Cells = cells;
        Dropped = dropped;
    }

    /// <summary>The column names: channel, from, timestamp, contentType, data.</summary>
    public static string[] Header => (string[])HeaderCells.Clone();

    /// <summary>Rows in this batch.</summary>
    public int Count { get; }

    /// <summary><c>Count * ColumnCount</c> cells, row after row.</summary>
    public string[] Cells { get; }

    /// <summary>Rows lost to <see cref="DataNetOptions.RowCapacity"/> since the previous take.</summary>
    public long Dropped { get; }

    /// <summary>
    /// Every cell in <see cref="Cells"/> order joined with <see cref="CellSeparator"/>, or null when a cell itself
    /// contains it (then read <see cref="Cells"/>). For hosts where each string crossing costs a call, such as
    /// pythonnet: one string instead of one per cell (measured in docs/benchmarks.md).
    /// </summary>
    public string? JoinCells()
    {
        foreach (var cell in Cells)
        {
            if (cell is not null && cell.IndexOf(CellSeparator) >= 0)
            {
                return null;
            }
        }

        return string.Join(CellSeparator.ToString(), Cells);
    }

    internal static RowBatch Empty(long dropped) => new(0, Array.Empty<string>(), dropped);
}
