using System.Collections.Generic;
using DataNet.Td;

namespace DataNet.Cli.Demo;

/// <summary>
/// What the loader does with a Table DAT (which has no row limit of its own): append each frame's
/// rows and trim the oldest beyond the limit, counting what was trimmed.
/// </summary>
internal sealed class RowTable(int limit)
{
    private readonly LinkedList<string[]> _rows = new();

    public int Limit { get; } = limit;

    public int Count => _rows.Count;

    /// <summary>Rows appended since the start.</summary>
    public long Appended { get; private set; }

    /// <summary>Rows trimmed for the limit here, plus rows the client dropped for its RowCapacity.</summary>
    public long Trimmed { get; private set; }

    public void Append(RowBatch batch)
    {
        Trimmed += batch.Dropped;
        for (var row = 0; row < batch.Count; row++)
        {
            var cells = new string[RowBatch.ColumnCount];
            System.Array.Copy(batch.Cells, row * RowBatch.ColumnCount, cells, 0, RowBatch.ColumnCount);
            _rows.AddLast(cells);
            Appended++;
        }

        while (_rows.Count > Limit)
        {
            _rows.RemoveFirst();
            Trimmed++;
        }
    }

    /// <summary>A copy, oldest first.</summary>
    public string[][] Snapshot()
    {
        var copy = new string[_rows.Count][];
        _rows.CopyTo(copy, 0);
        return copy;
    }
}
