using System;
using System.Diagnostics;

namespace DataNet.Td.Connection;

/// <summary>
/// Monotonic time for every timeout, heartbeat and backoff: a paused TD timeline or a wall-clock change must not
/// stall or storm the connection. Wall time is used only for the token's <c>exp</c> (converted once) and for latency.
/// </summary>
internal interface IClock
{
    TimeSpan Now { get; }

    DateTimeOffset UtcNow { get; }
}

internal sealed class MonotonicClock : IClock
{
    private static readonly Stopwatch Watch = Stopwatch.StartNew();

    public static MonotonicClock Instance { get; } = new();

    public TimeSpan Now => Watch.Elapsed;

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
}
