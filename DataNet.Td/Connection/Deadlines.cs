using System;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Td.Connection;

/// <summary>
/// Every timeout, heartbeat and backoff runs on one <see cref="TimeProvider"/>: monotonic (a paused TD timeline or a
/// wall-clock change must not stall or storm the connection) and replaceable, so tests drive time virtually. Wall time
/// is used only for the token's <c>exp</c> (converted once) and for latency. Waits are scheduled for an absolute
/// deadline on the provider's timestamp scale.
/// </summary>
internal static class Deadlines
{
    /// <summary>Monotonic now, on the provider's timestamp scale, to the tick (no floating point, which loses ticks).</summary>
    public static TimeSpan MonotonicNow(this TimeProvider time)
    {
        var timestamp = time.GetTimestamp();
        var frequency = time.TimestampFrequency;
        return TimeSpan.FromTicks((timestamp / frequency * TimeSpan.TicksPerSecond) + (timestamp % frequency * TimeSpan.TicksPerSecond / frequency));
    }

    /// <summary>
    /// Calls <paramref name="callback"/> once <paramref name="deadline"/> is reached (at once when it has). A virtual
    /// clock can move between reading it and arming the timer: the timer is armed again from the clock read after.
    /// </summary>
    /// <returns>The timer to dispose once the wait is over; null when the callback already ran.</returns>
    public static ITimer? Arm(this TimeProvider time, TimeSpan deadline, TimerCallback callback, object? state)
    {
        var before = time.MonotonicNow();
        if (deadline <= before)
        {
            callback(state);
            return null;
        }

        var timer = time.CreateTimer(callback, state, WholeMilliseconds(deadline - before), Timeout.InfiniteTimeSpan);
        var after = time.MonotonicNow();
        if (after != before)
        {
            timer.Change(deadline > after ? WholeMilliseconds(deadline - after) : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        return timer;
    }

    /// <summary>Timers count whole milliseconds and drop the rest: rounded up, a timer never fires before its deadline.</summary>
    private static TimeSpan WholeMilliseconds(TimeSpan wait) =>
        TimeSpan.FromTicks((wait.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);

    /// <summary>Completes at <paramref name="deadline"/>; cancelled by <paramref name="cancel"/>.</summary>
    public static async Task DelayUntilAsync(this TimeProvider time, TimeSpan deadline, CancellationToken cancel)
    {
        var reached = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = time.Arm(deadline, static s => ((TaskCompletionSource<bool>)s!).TrySetResult(true), reached);
        using (cancel.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetCanceled(), reached))
        {
            await reached.Task.ConfigureAwait(false);
        }
    }
}
