using System;
using System.Collections.Generic;

namespace DataNet.Td.Queues;

/// <summary>
/// Paces the outbox after a <c>rate_limited</c>, so the queue built up during the pause is not flushed as one burst
/// that the gateway mostly refuses again. Additive increase, multiplicative decrease: the first refusal sets the rate
/// to half of what was written in the second before it; each further refusal (at most once a second) halves it; each
/// second without one raises it by a quarter. Pacing ends when the outbox is empty. Times are on the monotonic clock.
/// </summary>
internal sealed class PublishPacer
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private const double MinRate = 1;

    private readonly object _gate = new();
    private readonly Queue<TimeSpan> _recentWrites = new();
    private double _rate = double.PositiveInfinity;
    private double _credit;
    private TimeSpan _creditAt;
    private TimeSpan? _changedAt;

    /// <summary>Publishes per second while pacing; infinity when not pacing.</summary>
    public double Rate
    {
        get
        {
            lock (_gate)
            {
                return _rate;
            }
        }
    }

    /// <summary>A publish was written at <paramref name="now"/>.</summary>
    public void Written(TimeSpan now)
    {
        lock (_gate)
        {
            _recentWrites.Enqueue(now);
            Forget(now);
        }
    }

    /// <summary>The gateway refused a publish for its rate: slow down.</summary>
    public void RateLimited(TimeSpan now)
    {
        lock (_gate)
        {
            if (_changedAt is { } changed && now - changed < Window)
            {
                return; // one decrease per window: the refusals of one burst arrive together
            }

            Forget(now);
            var basis = double.IsPositiveInfinity(_rate) ? _recentWrites.Count : _rate;
            _rate = Math.Max(MinRate, basis / 2);
            _credit = 0;
            _creditAt = now;
            _changedAt = now;
        }
    }

    /// <summary>True when a publish may go now; otherwise <paramref name="retryAt"/> is when the next one may.</summary>
    public bool TryTake(TimeSpan now, out TimeSpan retryAt)
    {
        lock (_gate)
        {
            retryAt = now;
            if (double.IsPositiveInfinity(_rate))
            {
                return true;
            }

            if (_changedAt is not { } changed || now - changed >= Window)
            {
                _rate += Math.Max(MinRate, _rate / 4);
                _changedAt = now;
            }

            // At most a tenth of a second's worth at once: paced means evenly spread.
            _credit = Math.Min(Math.Max(1, _rate / 10), _credit + (now - _creditAt).TotalSeconds * _rate);
            _creditAt = now;
            if (_credit >= 1)
            {
                _credit -= 1;
                return true;
            }

            retryAt = now + TimeSpan.FromSeconds((1 - _credit) / _rate);
            return false;
        }
    }

    /// <summary>The outbox is empty: nothing is queued to burst, so pacing ends.</summary>
    public void Idle()
    {
        lock (_gate)
        {
            _rate = double.PositiveInfinity;
        }
    }

    private void Forget(TimeSpan now)
    {
        while (_recentWrites.Count > 0 && now - _recentWrites.Peek() > Window)
        {
            _recentWrites.Dequeue();
        }
    }
}
