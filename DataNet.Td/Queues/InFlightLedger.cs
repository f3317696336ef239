using System.Collections.Generic;

namespace DataNet.Td.Queues;

/// <summary>
/// One connection's publishes written but not yet known to have reached the gateway. The gateway handles a
/// connection's frames in order, so an <c>hb_ack</c> confirms every publish written before its heartbeat: the
/// heartbeat is a barrier. What is unconfirmed when the connection ends may have been lost in flight; it is counted,
/// and (at-least-once, opt-in) handed back to be queued again. Bounded: at most <c>keepAtMost</c> envelopes are kept
/// for re-sending; older unconfirmed ones are only counted.
/// </summary>
internal sealed class InFlightLedger
{
    private readonly object _gate = new();
    private readonly LinkedList<string> _kept = new();
    private readonly Queue<long> _barriers = new();
    private readonly int _keepAtMost;
    private long _written;
    private long _confirmed;
    private long _barrierAt;

    /// <param name="keepAtMost">Envelopes kept for re-sending; 0 keeps none (count only).</param>
    public InFlightLedger(int keepAtMost) => _keepAtMost = keepAtMost;

    /// <summary>True when publishes went out after the last heartbeat (a barrier would confirm them).</summary>
    public bool HasUnbarriered
    {
        get
        {
            lock (_gate)
            {
                return _written > _barrierAt;
            }
        }
    }

    /// <summary>Publishes written on this connection that no <c>hb_ack</c> has confirmed yet.</summary>
    public long Unacknowledged
    {
        get
        {
            lock (_gate)
            {
                return _written - _confirmed;
            }
        }
    }

    public void Written(string envelope)
    {
        lock (_gate)
        {
            _written++;
            if (_keepAtMost == 0)
            {
                return;
            }

            if (_kept.Count >= _keepAtMost)
            {
                _kept.RemoveFirst();
            }

            _kept.AddLast(envelope);
        }
    }

    public void HeartbeatSent()
    {
        lock (_gate)
        {
            _barriers.Enqueue(_written);
            _barrierAt = _written;
        }
    }

    /// <summary>An <c>hb_ack</c>: the oldest unacknowledged heartbeat arrived, and every publish written before it.</summary>
    public void HeartbeatAcknowledged()
    {
        lock (_gate)
        {
            if (_barriers.Count == 0)
            {
                return; // an ack nobody asked for confirms nothing
            }

            _confirmed = _barriers.Dequeue();
            var unconfirmed = _written - _confirmed;
            while (_kept.Count > unconfirmed)
            {
                _kept.RemoveFirst();
            }
        }
    }

    /// <summary>At the end of the connection: how many may have been lost, and those kept, oldest first.</summary>
    public long TakeUnconfirmed(out List<string> kept)
    {
        lock (_gate)
        {
            kept = new List<string>(_kept);
            _kept.Clear();
            var unconfirmed = _written - _confirmed;
            _confirmed = _written;
            _barrierAt = _written;
            _barriers.Clear();
            return unconfirmed;
        }
    }
}
