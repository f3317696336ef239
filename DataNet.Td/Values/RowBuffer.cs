using System;
using System.Collections.Generic;
using System.Globalization;

namespace DataNet.Td.Values;

/// <summary>Rows waiting for <c>TakeRows</c>, bounded: when full the oldest row goes and is counted.</summary>
internal sealed class RowBuffer
{
    private readonly object _gate = new();
    private readonly Queue<string[]> _rows = new();
    private readonly int _capacity;
    private long _droppedSinceTake;
    private long _droppedTotal;

    public RowBuffer(int capacity) => _capacity = capacity;

    public long DroppedTotal
    {
        get
        {
            lock (_gate)
            {
                return _droppedTotal;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count;
            }
        }
    }

    public void Add(DataNetMessage message)
    {
        if (_capacity == 0)
        {
            return;
        }

        var row = new[]
        {
            message.Channel,
            message.From,
            message.Timestamp.ToString(CultureInfo.InvariantCulture),
            message.ContentType,
            message.IsBinary ? Convert.ToBase64String(message.Bytes ?? Array.Empty<byte>()) : message.DataJson,
        };
        lock (_gate)
        {
            if (_rows.Count >= _capacity)
            {
                _rows.Dequeue();
                _droppedSinceTake++;
                _droppedTotal++;
            }

            _rows.Enqueue(row);
        }
    }

    public RowBatch Take(int maxRows)
    {
        lock (_gate)
        {
            var dropped = _droppedSinceTake;
            _droppedSinceTake = 0;
            var count = Math.Min(Math.Max(maxRows, 0), _rows.Count);
            if (count == 0)
            {
                return RowBatch.Empty(dropped);
            }

            var cells = new string[count * RowBatch.ColumnCount];
            for (var r = 0; r < count; r++)
            {
                Array.Copy(_rows.Dequeue(), 0, cells, r * RowBatch.ColumnCount, RowBatch.ColumnCount);
            }

            return new RowBatch(count, cells, dropped);
        }
    }
}
