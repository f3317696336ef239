using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace DataNet.Td;

public sealed partial class DataNetClient
{
    private readonly object _batchGate = new();
    private readonly Dictionary<string, Action<DataNetMessage>> _batchHandlers = new(StringComparer.Ordinal);
    private readonly Queue<DataNetMessage> _batched = new();
    private long _batchDropped;
    private readonly StringBuilder _record = new(4096);
    private FrameEntry? _frameEntry;

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
    public string PollFrame(int maxRows, string[]? channels, bool prefixWithChannel, long valuesAddress, int valuesCapacity, long knownLayout) =>
        PollFrameRecord(maxRows, channels, prefixWithChannel, valuesAddress, valuesCapacity, knownLayout, out _);

    /// <summary>
    /// <see cref="PollFrame"/>, telling whether the frame was <paramref name="quiet"/>: no message, event, handler error,
    /// batch, row or dropped row, and no names (so a record equal to the previous one means nothing changed).
    /// </summary>
    internal string PollFrameRecord(int maxRows, string[]? channels, bool prefixWithChannel, long valuesAddress, int valuesCapacity, long knownLayout, out bool quiet)
    {
        var poll = Poll();

        // One builder per client, reused: a frame's record (100 rows: about 13,000 characters) is not regrown from
        // scratch every frame. Handlers (which could call PollFrame again) have all run inside Poll above.
        lock (_record)
        {
            var text = _record.Clear();
            FrameRecord.AppendText(text, FrameRecord.Version);
            FrameRecord.AppendNumber(text, poll.Messages);
            FrameRecord.AppendNumber(text, poll.Events);
            FrameRecord.AppendNumber(text, poll.HandlerErrors);
            FrameRecord.AppendNumber(text, poll.Remaining);
            FrameRecord.AppendText(text, State.ToString());
            FrameRecord.AppendText(text, Status);
            AppendCounters(text);
            FrameRecord.AppendNumber(text, SubscribedOccupancy());
            var names = AppendValues(text, channels, prefixWithChannel, valuesAddress, valuesCapacity, knownLayout);
            var batches = AppendBatches(text);
            quiet = poll.Messages == 0 && poll.Events == 0 && poll.HandlerErrors == 0 && !names && !batches;
            if (maxRows < 0)
            {
                FrameRecord.AppendNumber(text, 0);
                FrameRecord.AppendNumber(text, 0);
                FrameRecord.AppendList(text, Array.Empty<string>(), 0, last: true);
            }
            else
            {
                var rows = TakeNewestRows(maxRows);
                quiet &= rows.Count == 0 && rows.Dropped == 0;
                FrameRecord.AppendNumber(text, rows.Count);
                FrameRecord.AppendNumber(text, rows.Dropped);
                FrameRecord.AppendList(text, rows.Cells, rows.Cells.Length, last: true);
            }

            return text.ToString();
        }
    }

    /// <summary>
    /// The record's counters, read straight from their sources: the frame needs eight of <see cref="Stats"/>' 28, and
    /// a full snapshot touches every part of the client (costly the first time after a frame's sleep).
    /// </summary>
    private void AppendCounters(StringBuilder text)
    {
        var inbox = _inbox.Snapshot();
        FrameRecord.AppendNumber(text, inbox.Received);
        FrameRecord.AppendNumber(text, _connection.Published);
        FrameRecord.AppendNumber(text, _outbox.Count);
        FrameRecord.AppendNumber(text, inbox.DroppedOverflow + _outbox.DroppedOverflow);   // DataNetStats.Dropped
        FrameRecord.AppendNumber(text, _rows.DroppedTotal);
        FrameRecord.AppendNumber(text, _connection.Reconnects);
        text.Append(BitConverter.Int64BitsToDouble(Interlocked.Read(ref _latencyBits)).ToString("R", CultureInfo.InvariantCulture))
            .Append(FrameRecord.FieldSeparator);
        FrameRecord.AppendText(text, Volatile.Read(ref _lastError));
    }

    /// <summary>
    /// The address of a C function <c>int64 frame(int64 request)</c> (cdecl) that does <see cref="PollFrame"/> for a
    /// host calling through a function pointer (Python's <c>ctypes</c>), which costs about half a call through
    /// pythonnet's method binder when the process comes back from a frame's sleep. <c>request</c> is the address of
    /// a <see cref="FrameRequest"/> block; the function returns the record's length in UTF-8 bytes and writes its
    /// address into <see cref="FrameRequest.Slot.RecordAddress"/> (valid until the next call; a negative length is a
    /// plain-words error in its place; 0, only when the host set <see cref="FrameRequest.Slot.AcceptUnchanged"/>: the
    /// same request brought a quiet frame whose record equals the previous one, which the host reuses). Same thread rules as <see cref="PollFrame"/>. The pointer stays valid while
    /// this client is reachable: keep a reference to the client as long as you call it.
    /// </summary>
    public long PollFrameEntryPoint => (_frameEntry ??= new FrameEntry(this)).Address;

    /// <summary>Devices on the subscribed channels by the latest sub_acks; -1 when none is known.</summary>
    private long SubscribedOccupancy()
    {
        var known = false;
        long sum = 0;
        foreach (var channel in _subscriptions.Channels)
        {
            if (_occupancy.TryGet(channel, out var occupancy) && occupancy >= 0)
            {
                known = true;
                sum += occupancy;
            }
        }

        return known ? sum : -1;
    }

    /// <summary>True when the names were included.</summary>
    private bool AppendValues(StringBuilder text, string[]? channels, bool prefix, long address, int capacity, long knownLayout)
    {
        FrameRecord.AppendNumber(text, LastValues.Version);
        if (address == 0 || capacity < 0)
        {
            FrameRecord.AppendNumber(text, LastValues.LayoutVersion);
            FrameRecord.AppendNumber(text, 0);
            FrameRecord.AppendNumber(text, 0);
            FrameRecord.AppendText(text, null);
            return false;
        }

        // Values arrive on the receive thread: the copy checks, under LastValues' lock, that the layout is still the
        // caller's (-1 when fields or channels changed since: names and values are collected below instead).
        var written = LastValues.CopyValuesTo(channels, new IntPtr(address), capacity, knownLayout);
        if (written >= 0)
        {
            // All fitted: that is the count. Else the full count, so the caller grows its buffer.
            var count = written < capacity ? written : LastValues.CountValues(channels);
            FrameRecord.AppendNumber(text, knownLayout);
            FrameRecord.AppendNumber(text, count);
            FrameRecord.AppendNumber(text, 0);
            FrameRecord.AppendText(text, null);
            return false;
        }

        var collected = LastValues.Collect(channels, prefix);
        Marshal.Copy(collected.Values, 0, new IntPtr(address), Math.Min(collected.Values.Length, capacity));
        FrameRecord.AppendNumber(text, collected.LayoutVersion);
        FrameRecord.AppendNumber(text, collected.Values.Length);
        FrameRecord.AppendNumber(text, 1);
        text.Append(string.Join(FrameRecord.ItemSeparator.ToString(), collected.Names)).Append(FrameRecord.FieldSeparator);
        return true;
    }

    /// <summary>True when there were batched messages or drops to hand over.</summary>
    private bool AppendBatches(StringBuilder text)
    {
        DataNetMessage[] messages;
        long dropped;
        lock (_batchGate)
        {
            if (_batched.Count == 0 && _batchDropped == 0)
            {
                // Nothing batched (the usual frame without SubscribeBatch): no lists, no groups.
                FrameRecord.AppendNumber(text, 0);
                FrameRecord.AppendList(text, Array.Empty<string>(), 0, last: false);
                return false;
            }

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
        return true;
    }
}
