using System;
using System.Collections.Generic;

namespace DataNet.Td.Queues;

/// <summary>
/// Everything waiting for Poll, in arrival order: messages (bounded by capacity, overflow policy, exact counters) and
/// lifecycle events (bounded separately, never displacing messages). One short lock: producers are the socket and
/// REST threads, the consumer is Poll, and the lock lets a stats snapshot be exact even under traffic.
/// </summary>
internal sealed class Inbox
{
    public const int EventCapacity = 1024;

    private readonly object _gate = new();
    private readonly LinkedList<object> _items = new();
    private readonly Dictionary<string, int> _perChannel = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly InboxOverflowPolicy _policy;
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
                DropOne(message.Channel);
            }

            _items.AddLast(message);
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
                for (var node = _items.First; node is not null; node = node.Next)
                {
                    if (node.Value is ClientEvent)
                    {
                        _items.Remove(node);
                        _events--;
                        _droppedEvents++;
                        break;
                    }
                }
            }

            _items.AddLast(clientEvent);
            _events++;
        }
    }

    /// <summary>Takes the oldest item; a message counts as dispatched from here on.</summary>
    public bool TryDequeue(out object? item)
    {
        lock (_gate)
        {
            var first = _items.First;
            if (first is null)
            {
                item = null;
                return false;
            }

            _items.RemoveFirst();
            item = first.Value;
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

    private void DropOne(string incomingChannel)
    {
        LinkedListNode<object>? victim = null;
        if (_policy == InboxOverflowPolicy.LatestPerChannel)
        {
            // The oldest message that is not the newest of its channel (the incoming one supersedes its own channel).
            for (var node = _items.First; node is not null; node = node.Next)
            {
                if (node.Value is DataNetMessage m && (m.Channel == incomingChannel || _perChannel[m.Channel] > 1))
                {
                    victim = node;
                    break;
                }
            }
        }

        if (victim is null)
        {
            for (var node = _items.First; node is not null; node = node.Next)
            {
                if (node.Value is DataNetMessage)
                {
                    victim = node;
                    break;
                }
            }
        }

        if (victim is not null)
        {
            _items.Remove(victim);
            _messages--;
            _droppedOverflow++;
            Decrement(((DataNetMessage)victim.Value).Channel);
        }
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
