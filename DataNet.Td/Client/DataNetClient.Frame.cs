using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace DataNet.Td;

public sealed partial class DataNetClient
{
    private readonly object _batchGate = new();
    private readonly Dictionary<string, Action<DataNetMessage>> _batchHandlers = new(StringComparer.Ordinal);
    private readonly Queue<DataNetMessage> _batched = new();
    private long _batchDropped;

    /// <summary>
    /// Subscribes so that the channel's messages are collected during Poll and handed over in bulk by
    /// <see cref="PollFrame"/> (<see cref="FrameRecord.Field.Batches"/>): one callback per frame and channel in the
    /// host instead of one per message. Idempotent per channel; <see cref="UnsubscribeBatch"/> ends it, and so does
    /// <see cref="Unsubscribe(string)"/>.
    /// </summary>
    /// <param name="channel">Exact channel name.</param>
    public void SubscribeBatch(string channel)
    {
        lock (_batchGate)
        {
            // Still registered? Unsubscribe(channel) removes every handler of the channel, this one too.
            if (_batchHandlers.TryGetValue(channel, out var existing)
                && Array.Exists(_subscriptions.Get(channel), s => Equals(s.Handler, existing)))
            {
                return;
            }
        }

        Action<DataNetMessage> handler = message =>
        {
            lock (_batchGate)
            {
                // Bounded like the inbox: a host that polls without PollFrame must not grow it forever.
                if (_batched.Count >= _options.InboxCapacity)
                {
                    _batched.Dequeue();
                    _batchDropped++;
                }

                _batched.Enqueue(message);
            }
        };
        Subscribe(channel, handler);
        SubscribeBinary(channel, handler);
        lock (_batchGate)
        {
            _batchHandlers[channel] = handler;
        }
    }

    /// <summary>Ends <see cref="SubscribeBatch"/> on the channel (other subscriptions on it stay).</summary>
    /// <param name="channel">Exact channel name.</param>
    public void UnsubscribeBatch(string channel)
    {
        Action<DataNetMessage>? handler;
        lock (_batchGate)
        {
            if (!_batchHandlers.TryGetValue(channel, out handler))
            {
                return;
            }

            _batchHandlers.Remove(channel);
        }

        Unsubscribe(channel, handler);
    }

    /// <summary>
    /// A host's whole frame in one call: <see cref="Poll()"/>, then the newest <paramref name="maxRows"/> rows
    /// (<see cref="TakeNewestRows"/>), the values of <see cref="LastValues"/> written into the caller's buffer (names
    /// only when the layout differs from <paramref name="knownLayout"/>), the batched messages, the status and the
    /// counters, returned as one <see cref="FrameRecord"/> string. On the thread that polls (TD's main thread).
    /// </summary>
    /// <param name="maxRows">Rows the table keeps; negative: take no rows (they wait, bounded by RowCapacity).</param>
    /// <param name="channels">The channels whose values to write; null or empty: every channel.</param>
    /// <param name="prefixWithChannel">Names prefixed with their channel (as <see cref="LastValues.Collect"/>).</param>
    /// <param name="valuesAddress">Address of the caller's buffer of doubles (a NumPy or array('d') buffer); 0: no values.</param>
    /// <param name="valuesCapacity">How many doubles fit there; the record's value count may be larger (grow and call again).</param>
    /// <param name="knownLayout">The layout version whose names the caller holds for this selection; -1: none.</param>
    public string PollFrame(int maxRows, string[]? channels, bool prefixWithChannel, long valuesAddress, int valuesCapacity, long knownLayout)
    {
        var poll = Poll();
        var stats = Stats;
        var text = new StringBuilder(256);
        FrameRecord.AppendText(text, FrameRecord.Version);
        FrameRecord.AppendNumber(text, poll.Messages);
        FrameRecord.AppendNumber(text, poll.Events);
        FrameRecord.AppendNumber(text, poll.HandlerErrors);
        FrameRecord.AppendNumber(text, poll.Remaining);
        FrameRecord.AppendText(text, State.ToString());
        FrameRecord.AppendText(text, Status);
        FrameRecord.AppendNumber(text, stats.Received);
        FrameRecord.AppendNumber(text, stats.Published);
        FrameRecord.AppendNumber(text, stats.Queued);
        FrameRecord.AppendNumber(text, stats.Dropped);
        FrameRecord.AppendNumber(text, stats.DroppedRows);
        FrameRecord.AppendNumber(text, stats.Reconnects);
        text.Append(stats.LatencyMs.ToString("R", CultureInfo.InvariantCulture)).Append(FrameRecord.FieldSeparator);
        FrameRecord.AppendText(text, stats.LastError);
        FrameRecord.AppendNumber(text, SubscribedOccupancy());
        AppendValues(text, channels, prefixWithChannel, valuesAddress, valuesCapacity, knownLayout);
        AppendBatches(text);
        if (maxRows < 0)
        {
            FrameRecord.AppendNumber(text, 0);
            FrameRecord.AppendNumber(text, 0);
            FrameRecord.AppendList(text, Array.Empty<string>(), 0, last: true);
        }
        else
        {
            var rows = TakeNewestRows(maxRows);
            FrameRecord.AppendNumber(text, rows.Count);
            FrameRecord.AppendNumber(text, rows.Dropped);
            FrameRecord.AppendList(text, rows.Cells, rows.Cells.Length, last: true);
        }

        return text.ToString();
    }

    /// <summary>Devices on the subscribed channels by the latest sub_acks; -1 when none is known.</summary>
    private long SubscribedOccupancy()
    {
        var known = false;
        long sum = 0;
        foreach (var channel in _subscriptions.Channels)
        {
            if (_occupancy.TryGetValue(channel, out var occupancy) && occupancy >= 0)
            {
                known = true;
                sum += occupancy;
            }
        }

        return known ? sum : -1;
    }

    private void AppendValues(StringBuilder text, string[]? channels, bool prefix, long address, int capacity, long knownLayout)
    {
        FrameRecord.AppendNumber(text, LastValues.Version);
        if (address == 0 || capacity < 0)
        {
            FrameRecord.AppendNumber(text, LastValues.LayoutVersion);
            FrameRecord.AppendNumber(text, 0);
            FrameRecord.AppendNumber(text, 0);
            FrameRecord.AppendText(text, null);
            return;
        }

        // Values change only inside Poll, on this thread: the layout read here holds for the copy below.
        var layout = LastValues.LayoutVersion;
        if (layout == knownLayout)
        {
            var count = LastValues.CountValues(channels);
            LastValues.CopyValuesTo(channels, new IntPtr(address), capacity);
            FrameRecord.AppendNumber(text, layout);
            FrameRecord.AppendNumber(text, count);
            FrameRecord.AppendNumber(text, 0);
            FrameRecord.AppendText(text, null);
            return;
        }

        var collected = LastValues.Collect(channels, prefix);
        Marshal.Copy(collected.Values, 0, new IntPtr(address), Math.Min(collected.Values.Length, capacity));
        FrameRecord.AppendNumber(text, collected.LayoutVersion);
        FrameRecord.AppendNumber(text, collected.Values.Length);
        FrameRecord.AppendNumber(text, 1);
        text.Append(string.Join(FrameRecord.ItemSeparator.ToString(), collected.Names)).Append(FrameRecord.FieldSeparator);
    }

    private void AppendBatches(StringBuilder text)
    {
        DataNetMessage[] messages;
        long dropped;
        lock (_batchGate)
        {
            messages = _batched.ToArray();
            _batched.Clear();
            dropped = _batchDropped;
            _batchDropped = 0;
        }

        FrameRecord.AppendNumber(text, dropped);

        // Grouped by channel in first-seen order; each message keeps its arrival order within its channel.
        var order = new List<string>();
        var groups = new Dictionary<string, List<DataNetMessage>>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (!groups.TryGetValue(message.Channel, out var group))
            {
                groups[message.Channel] = group = new List<DataNetMessage>();
                order.Add(message.Channel);
            }

            group.Add(message);
        }

        var items = new List<string>(messages.Length * 4 + order.Count * 2);
        foreach (var channel in order)
        {
            var group = groups[channel];
            items.Add(channel);
            items.Add(group.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var message in group)
            {
                items.Add(message.From);
                items.Add(message.Timestamp.ToString(CultureInfo.InvariantCulture));
                items.Add(message.IsBinary ? message.ContentType : string.Empty);
                items.Add(message.IsBinary ? Convert.ToBase64String(message.Bytes ?? Array.Empty<byte>()) : message.DataJson);
            }
        }

        FrameRecord.AppendList(text, items.ToArray(), items.Count, last: false);
    }
}
