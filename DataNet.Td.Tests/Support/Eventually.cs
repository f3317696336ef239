using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace DataNet.Td.Tests.Support;

/// <summary>Waits for a condition with a deadline (never a fixed sleep): polls every few milliseconds, fails with a message.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (!condition())
        {
            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Condition not met within {limit.TotalSeconds:0.#} s" + (because is null ? "." : ": " + because));
            }

            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>Calls <paramref name="pump"/> (e.g. client.Poll) between checks, as a TouchDesigner frame would.</summary>
    public static async Task TrueAsync(Func<bool> condition, Action pump, TimeSpan? timeout = null, string? because = null)
    {
        ArgumentNullException.ThrowIfNull(pump);
        await TrueAsync(() =>
        {
            pump();
            return condition();
        }, timeout, because).ConfigureAwait(false);
    }
}
