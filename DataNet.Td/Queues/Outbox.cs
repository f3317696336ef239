using System.Collections.Generic;

namespace DataNet.Td.Queues;

/// <summary>
/// The offline publish queue: every publish goes through it, so order is kept across disconnects, handshakes and
/// rate-limit pauses. Bounded; every overflow is counted. The connection loop takes from the front and puts an
/// envelope back at the front when the socket refused it.
/// </summary>
internal sealed class Outbox
{
    private readonly object _gate = new();
    private readonly LinkedList<string> _items = new();
    private readonly int _capacity;
    private readonly OutboxOverflowPolicy _policy;
    private long _droppedOverflow;

    public Outbox(int capacity, OutboxOverflowPolicy policy)
    {
        _capacity = capacity;
        _policy = policy;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public long DroppedOverflow
    {
        get
        {
            lock (_gate)
            {
                return _droppedOverflow;
            }
        }
    }

    /// <summary>False only when the new envelope itself was dropped (DropNewest on a full queue).</summary>
    public bool Enqueue(string envelope)
    {
        lock (_gate)
        {
            if (_items.Count >= _capacity)
            {
                _droppedOverflow++;
                if (_policy == OutboxOverflowPolicy.DropNewest)
                {
                    return false;
                }

                _items.RemoveFirst();
            }

            _items.AddLast(envelope);
            return true;
        }
    }

    public bool TryDequeue(out string envelope)
    {
        lock (_gate)
        {
            if (_items.First is { } first)
            {
                _items.RemoveFirst();
                envelope = first.Value;
                return true;
            }
        }

        envelope = string.Empty;
        return false;
    }

    /// <summary>Puts back an envelope the socket did not take, ahead of everything else.</summary>
    public void Requeue(string envelope)
    {
        lock (_gate)
        {
            if (_items.Count >= _capacity)
            {
                // Full meanwhile: the requeued envelope is the oldest, so it is the one DropOldest would lose.
                _droppedOverflow++;
                if (_policy == OutboxOverflowPolicy.DropOldest)
                {
                    return;
                }

                _items.RemoveLast();
            }

            _items.AddFirst(envelope);
        }
    }

    /// <summary>Puts back envelopes that were sent but not confirmed, oldest first, ahead of everything else.</summary>
    public void RequeueInOrder(IReadOnlyList<string> envelopes)
    {
        for (var i = envelopes.Count - 1; i >= 0; i--)
        {
            Requeue(envelopes[i]);
        }
    }
}
