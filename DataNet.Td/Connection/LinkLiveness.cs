using System;

namespace DataNet.Td.Connection;

/// <summary>
/// Decides when a link is dead: no frame at all for two heartbeat intervals, while something written (a heartbeat,
/// or a send still blocked in the socket) has gone unanswered for a full interval. The second condition keeps a
/// stalled host from blaming the link for its own late wake-up. Used by the connection loop only (one thread), and
/// consulted during a blocked send too, so a send stuck on a dead link cannot delay the verdict.
/// </summary>
internal sealed class LinkLiveness
{
    private readonly TimeSpan _interval;
    private TimeSpan? _oldestUnanswered;

    public LinkLiveness(TimeSpan heartbeatInterval) => _interval = heartbeatInterval;

    /// <summary>Something went out (or started to) at <paramref name="at"/>; the gateway should answer or send something.</summary>
    public void Wrote(TimeSpan at, TimeSpan lastFrame)
    {
        if (_oldestUnanswered is not { } pending || pending <= lastFrame)
        {
            _oldestUnanswered = at;
        }
    }

    /// <summary>When the link counts as dead if no frame arrives meanwhile; null while nothing written is unanswered.</summary>
    public TimeSpan? DeadAt(TimeSpan lastFrame) =>
        _oldestUnanswered is { } written && written > lastFrame
            ? Max(lastFrame + _interval + _interval, written + _interval)
            : null;

    public bool IsDead(TimeSpan now, TimeSpan lastFrame) => DeadAt(lastFrame) is { } at && now >= at;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
