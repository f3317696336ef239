using System;

namespace DataNet.Gateway.Limits;

/// <summary>
/// A publish budget of N per one-second window; the window opens with the first publish after the previous one
/// closed. Thread-safe: a project's or a channel's window is shared by every connection publishing to it.
/// </summary>
internal sealed class RateWindow
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private DateTimeOffset _start = DateTimeOffset.MinValue;
    private int _count;

    /// <summary>When the current window closes (for pruning windows nobody uses any more).</summary>
    public DateTimeOffset ClosesAt
    {
        get
        {
            lock (_gate)
            {
                return _start == DateTimeOffset.MinValue ? _start : _start + Window;
            }
        }
    }

    /// <summary>True when allowed; otherwise <paramref name="retryMs"/> is the time until the window closes (at least 1).</summary>
    public bool TryAcquire(int perSecond, DateTimeOffset now, out long retryMs)
    {
        retryMs = 0;
        lock (_gate)
        {
            if (now - _start >= Window)
            {
                _start = now;
                _count = 0;
            }
            if (_count < perSecond)
            {
                _count++;
                return true;
            }
            retryMs = Math.Max(1, (long)Math.Ceiling((_start + Window - now).TotalMilliseconds));
            return false;
        }
    }

    /// <summary>Gives back one publish taken by <see cref="TryAcquire"/> when a wider limit refused it.</summary>
    public void Refund()
    {
        lock (_gate)
        {
            if (_count > 0)
            {
                _count--;
            }
        }
    }
}
