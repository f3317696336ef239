using System;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace DataNet.Testing;

/// <summary>
/// Waits for a condition by polling it until a deadline; the deadline only bounds a failure, it is never
/// asserted as a duration. Use instead of sleeping.
/// </summary>
public static class Eventually
{
    /// <summary>Default deadline: generous, because a slow CI machine must not fail a correct test.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>Completes once <paramref name="condition"/> is true; fails the test at the deadline.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null) =>
        TrueAsync(condition, () => because ?? "(no explanation given)", timeout);

    /// <summary>
    /// Like <see cref="TrueAsync(Func{bool}, TimeSpan?, string?)"/>, with the failure's explanation written at the
    /// deadline (so it can say what the state was then, not when the wait began).
    /// </summary>
    /// <param name="condition">Checked until true.</param>
    /// <param name="explain">The failure's explanation, written at the deadline.</param>
    /// <param name="timeout">The deadline; <see cref="DefaultTimeout"/> when null.</param>
    /// <param name="pollInterval">Time between checks, for a condition costly to check; 5 ms when null.</param>
    public static async Task TrueAsync(Func<bool> condition, Func<string> explain, TimeSpan? timeout = null, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(explain);
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s: {explain()}");
            }
            await Task.Delay(pollInterval ?? PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Like <see cref="TrueAsync(Func{bool}, TimeSpan?, string?)"/>, calling <paramref name="pump"/> (e.g. a client's
    /// Poll) before every check, as a TouchDesigner frame would.
    /// </summary>
    public static Task TrueAsync(Func<bool> condition, Action pump, TimeSpan? timeout = null, string? because = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(pump);
        return TrueAsync(() =>
        {
            pump();
            return condition();
        }, timeout, because);
    }

    /// <summary>Completes once the asynchronous <paramref name="condition"/> is true; fails the test at the deadline.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s{(because is null ? "" : ": " + because)}");
            }
            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="read"/> until <paramref name="until"/> accepts the value, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> until, TimeSpan? timeout = null, string? because = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(until);
        var value = read();
        await TrueAsync(() => until(value = read()), timeout, because).ConfigureAwait(false);
        return value;
    }

    /// <summary>Awaits <paramref name="task"/>, failing the test (not hanging it) at the deadline.</summary>
    public static async Task<T> CompletesAsync<T>(Task<T> task, TimeSpan? timeout = null, string? because = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(timeout ?? DefaultTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Task did not complete within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s{(because is null ? "" : ": " + because)}");
            throw;
        }
    }

    /// <summary>Awaits <paramref name="task"/>, failing the test (not hanging it) at the deadline.</summary>
    public static async Task CompletesAsync(Task task, TimeSpan? timeout = null, string? because = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(timeout ?? DefaultTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Task did not complete within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s{(because is null ? "" : ": " + because)}");
        }
    }

    /// <summary>A token that cancels at the deadline, for APIs that take one.</summary>
    public static CancellationTokenSource Deadline(TimeSpan? timeout = null) => new(timeout ?? DefaultTimeout);
}
