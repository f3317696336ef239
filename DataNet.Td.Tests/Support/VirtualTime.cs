using System;
using System.Threading;
using DataNet.Td.Connection;
using Microsoft.Extensions.Time.Testing;

namespace DataNet.Td.Tests.Support;

/// <summary>
/// Time that moves only when a test says so, for the client's timers and the gateway's clock alike: a
/// <see cref="FakeTimeProvider"/> starting at protocol.md's example instant, whose wall clock can also jump on its own
/// (as a user changing the system time would), leaving the monotonic timestamps where they are.
/// </summary>
public sealed class VirtualTime : FakeTimeProvider
{
    /// <summary>2024-03-09T16:00:00Z: unix ms 1710000000000, the timestamp used in protocol.md.</summary>
    public static readonly DateTimeOffset ProtocolExample = DateTimeOffset.FromUnixTimeMilliseconds(1_710_000_000_000);

    private long _wallJumpTicks;

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

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + WallJump;

    /// <inheritdoc/>
    public override long GetTimestamp() => base.GetTimestamp() - (long)(WallJump.TotalSeconds * TimestampFrequency);

    private TimeSpan WallJump => TimeSpan.FromTicks(Interlocked.Read(ref _wallJumpTicks));

    /// <summary>Moves the wall clock only: timers and timestamps stay where they are.</summary>
    public void JumpWallClock(TimeSpan by) => Interlocked.Add(ref _wallJumpTicks, by.Ticks);
}
