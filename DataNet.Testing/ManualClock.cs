using System;
using System.Threading;

namespace DataNet.Testing;

/// <summary>A wall clock that only moves when told to, for exact timestamps and rate windows.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>2024-03-09T16:00:00Z: unix ms 1710000000000, the timestamp used in protocol.md.</summary>
    public static readonly DateTimeOffset ProtocolExample = DateTimeOffset.FromUnixTimeMilliseconds(1_710_000_000_000);

    private long _utcTicks = start.UtcTicks;

    /// <summary>A clock at <see cref="ProtocolExample"/>.</summary>
    public ManualClock()
        : this(ProtocolExample)
    {
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
