using System;
using System.Collections.Generic;

namespace DataNet.Td.Queues;

/// <summary>
/// Everything waiting for Poll, in arrival order: messages (bounded by capacity, overflow policy, exact counters) and
/// lifecycle events (bounded separately, never displacing messages). One short lock: producers are the socket and
/// REST threads, the consumer is Poll, and the lock lets a stats snapshot be exact even under traffic.
/// </summary>
/// <remarks>
/// A ring of slots, so queueing costs no allocation once the ring has grown to the traffic (no node per item). An item
/// dropped from the middle leaves an empty slot that dequeuing skips; the ring is compacted when it fills up with
/// them, so its size stays bounded by the capacities.
/// </remarks>
internal sealed class Inbox
{
    public const int EventCapacity = 1024;

    private readonly object _gate = new();
    private readonly Dictionary<string, int> _perChannel = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly InboxOverflowPolicy _policy;
    private object?[] _slots = new object?[16];
    private int _head;
    private int _used; // slots from _head on, holes included
    private int _holes;
    private int _messages;
    private int _events;
    private long _received;
    private long _dispatched;
    private long _droppedOverflow;
    private long _droppedEvents;

    public Inbox(int capacity, InboxOverflowPolicy policy)
    {
        _capacity = capacity;
        _policy = policy;
    }

    public int MessageCount
    {
        get
        {
            lock (_gate)
            {
                return _messages;
            }
        }
    }

    public void EnqueueMessage(DataNetMessage message)
    {
        lock (_gate)
        {
            _received++;
            if (_messages >= _capacity)
            {
                DropMessage(message.Channel);
            }

            Append(message);
            _messages++;
            _perChannel[message.Channel] = _perChannel.TryGetValue(message.Channel, out var n) ? n + 1 : 1;
        }
    }

    public void EnqueueEvent(ClientEvent clientEvent)
    {
        lock (_gate)
        {
            if (_events >= EventCapacity)
            {
                var oldest = Find(static (item, _) => item is ClientEvent, (object?)null);
                if (oldest >= 0)
                {
                    RemoveAt(oldest);
                    _events--;
                    _droppedEvents++;
                }
            }

            Append(clientEvent);
            _events++;
        }
    }

    /// <summary>Takes the oldest item; a message counts as dispatched from here on.</summary>
    public bool TryDequeue(out object? item)
    {
        lock (_gate)
        {
            if (_used == 0)
            {
                item = null;
                return false;
            }

            item = _slots[_head];
            RemoveAt(0);
            if (item is DataNetMessage message)
            {
                _messages--;
                _dispatched++;
                Decrement(message.Channel);
            }
            else
            {
                _events--;
            }

            return true;
        }
    }

    public InboxCounters Snapshot()
    {
        lock (_gate)
        {
            return new InboxCounters(_received, _dispatched, _messages, _droppedOverflow, _droppedEvents);
        }
    }

    private void DropMessage(string incomingChannel)
    {
        var victim = -1;
        if (_policy == InboxOverflowPolicy.LatestPerChannel)
        {
            // The oldest message that is not the newest of its channel (the incoming one supersedes its own channel).
            victim = Find(static (item, state) => item is DataNetMessage m && (m.Channel == state.Incoming || state.PerChannel[m.Channel] > 1),
                (Incoming: incomingChannel, PerChannel: _perChannel));
        }

        if (victim < 0)
        {
            victim = Find(static (item, _) => item is DataNetMessage, (object?)null);
        }

        if (victim >= 0)
        {
            var message = (DataNetMessage)_slots[Slot(victim)]!;
            RemoveAt(victim);
            _messages--;
            _droppedOverflow++;
            Decrement(message.Channel);
        }
    }

    /// <summary>Position (from the head) of the oldest item matching; -1 when none.</summary>
    private int Find<TState>(Func<object, TState, bool> match, TState state)
    {
        for (var i = 0; i < _used; i++)
        {
            if (_slots[Slot(i)] is { } item && match(item, state))
            {
                return i;
            }
        }

        return -1;
    }

    private int Slot(int position) => (_head + position) % _slots.Length;

    private void Append(object item)
    {
        if (_used == _slots.Length)
        {
            Reshape();
        }

        _slots[Slot(_used)] = item;
        _used++;
    }

    /// <summary>Empties a position; holes at the head are passed over at once.</summary>
    private void RemoveAt(int position)
    {
        _slots[Slot(position)] = null;
        _holes++;
        while (_used > 0 && _slots[_head] is null)
        {
            _head = (_head + 1) % _slots.Length;
            _used--;
            _holes--;
        }
    }

    /// <summary>The ring is full: squeeze the holes out, into a ring twice the size when it is mostly live items.</summary>
    private void Reshape()
    {
        var length = _holes >= _slots.Length / 4 ? _slots.Length : _slots.Length * 2;
        var slots = new object?[length];
        var at = 0;
        for (var i = 0; i < _used; i++)
        {
            if (_slots[Slot(i)] is { } item)
            {
                slots[at++] = item;
            }
        }

        _slots = slots;
        _head = 0;
        _used = at;
        _holes = 0;
    }

    private void Decrement(string channel)
    {
        var n = _perChannel[channel] - 1;
        if (n == 0)
        {
            _perChannel.Remove(channel);
        }
        else
        {
            _perChannel[channel] = n;
        }
    }
}

internal readonly struct InboxCounters
{
    public InboxCounters(long received, long dispatched, long backlog, long droppedOverflow, long droppedEvents)
    {
        Received = received;
        Dispatched = dispatched;
        Backlog = backlog;
        DroppedOverflow = droppedOverflow;
        DroppedEvents = droppedEvents;
    }

    public long Received { get; }

    public long Dispatched { get; }

    public long Backlog { get; }

    public long DroppedOverflow { get; }

    public long DroppedEvents { get; }
}
