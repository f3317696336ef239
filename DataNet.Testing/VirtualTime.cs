using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DataNet.Td.Connection;
using Microsoft.Extensions.Time.Testing;

namespace DataNet.Testing;

/// <summary>
/// Time that moves only when a test says so, for the client's timers and the gateway's clock alike: a
/// <see cref="FakeTimeProvider"/> starting at protocol.md's example instant. It also knows which deadlines its timers
/// wait for, so a test can see that the client, a tick before a deadline, still waits for it.
/// </summary>
public sealed class VirtualTime : FakeTimeProvider
{
    /// <summary>2024-03-09T16:00:00Z: unix ms 1710000000000, the timestamp used in protocol.md.</summary>
    public static readonly DateTimeOffset ProtocolExample = DateTimeOffset.FromUnixTimeMilliseconds(1_710_000_000_000);

    private readonly HashSet<TrackedTimer> _pending = new();

    /// <summary>Time at <see cref="ProtocolExample"/>.</summary>
    public VirtualTime()
        : this(ProtocolExample)
    {
    }

    /// <summary>Time at <paramref name="start"/>.</summary>
    public VirtualTime(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>The client's monotonic now (what its deadlines are measured on).</summary>
    public TimeSpan Monotonic => this.MonotonicNow();

    /// <summary>Moves time to <paramref name="at"/> on the monotonic scale.</summary>
    public void AdvanceTo(TimeSpan at) => Advance(at - Monotonic);

    /// <summary>True while a timer that has not fired waits for exactly <paramref name="deadline"/>.</summary>
    public bool IsWaitingFor(TimeSpan deadline)
    {
        lock (_pending)
        {
            return _pending.Any(t => t.Due == deadline);
        }
    }

    /// <summary>What the pending timers wait for, relative to now, for a failure message.</summary>
    public string Pending()
    {
        lock (_pending)
        {
            return string.Join(", ", _pending.Select(t => (t.Due - Monotonic).ToString()));
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var tracked = new TrackedTimer(this);
        tracked.Inner = base.CreateTimer(s =>
        {
            tracked.Fired();
            callback(s);
        }, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        tracked.Change(dueTime, period);
        return tracked;
    }

    private sealed class TrackedTimer(VirtualTime time) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public TimeSpan? Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (time._pending)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : time.Monotonic + dueTime;
                if (Due is null)
                {
                    time._pending.Remove(this);
                }
                else
                {
                    time._pending.Add(this);
                }
            }

            return Inner.Change(dueTime, period);
        }

        public void Fired()
        {
            lock (time._pending)
            {
                time._pending.Remove(this);
            }
        }

        public void Dispose()
        {
            Fired();
            Inner.Dispose();
        }

        public System.Threading.Tasks.ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
