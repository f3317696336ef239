using System;

namespace DataNet.Td;

/// <summary>
/// Exponential backoff with full jitter: attempt n waits a uniformly random time between <see cref="MinDelay"/> and
/// min(<see cref="MaxDelay"/>, MinDelay * 2^n), so the default waits 1–2 s, then 1–4 s, 1–8 s, … 1–30 s. The floor
/// keeps it out of a tight loop; the jitter, from the first attempt on, keeps a room of TouchDesigner machines from
/// all reconnecting in the same instant after a gateway restart.
/// </summary>
public sealed class ExponentialBackoffRetryPolicy : IRetryPolicy
{
    private readonly Random _random;
    private readonly object _gate = new();

    /// <summary>The default: 1 s to 30 s, unlimited attempts.</summary>
    public static ExponentialBackoffRetryPolicy Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>Creates a policy.</summary>
    /// <param name="minDelay">Shortest delay (default policy: 1 s). Must be positive.</param>
    /// <param name="maxDelay">Longest delay (default policy: 30 s). Must be at least <paramref name="minDelay"/>.</param>
    /// <param name="maxAttempts">Attempts before giving up; null (the default) retries forever.</param>
    /// <param name="seed">Seed for the jitter; null (the default) seeds from the clock.</param>
    public ExponentialBackoffRetryPolicy(TimeSpan minDelay, TimeSpan maxDelay, int? maxAttempts = null, int? seed = null)
    {
        if (minDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(minDelay), "The minimum delay must be positive.");
        }

        if (maxDelay < minDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelay), "The maximum delay must be at least the minimum delay.");
        }

        if (maxAttempts is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), "The attempt limit cannot be negative.");
        }

        MinDelay = minDelay;
        MaxDelay = maxDelay;
        MaxAttempts = maxAttempts;
#pragma warning disable CA5394 // Jitter, not security: a predictable sequence is harmless here.
        _random = seed is { } s ? new Random(s) : new Random();
#pragma warning restore CA5394
    }

    /// <summary>Shortest delay.</summary>
    public TimeSpan MinDelay { get; }

    /// <summary>Longest delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Attempts before giving up; null retries forever.</summary>
    public int? MaxAttempts { get; }

    /// <inheritdoc />
    public TimeSpan? NextRetryDelay(RetryContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        if (MaxAttempts is { } max && context.Attempt > max)
        {
            return null;
        }

        var exponent = Math.Min(Math.Max(context.Attempt, 1), 30);
        var ceilingTicks = Math.Min(MaxDelay.Ticks, MinDelay.Ticks * Math.Pow(2, exponent));
        double sample;
        lock (_gate)
        {
#pragma warning disable CA5394 // Jitter, not security.
            sample = _random.NextDouble();
#pragma warning restore CA5394
        }

        return TimeSpan.FromTicks(MinDelay.Ticks + (long)(sample * (ceilingTicks - MinDelay.Ticks)));
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"ExponentialBackoff({MinDelay.TotalSeconds:0.###} s..{MaxDelay.TotalSeconds:0.###} s, {(MaxAttempts is { } m ? m + " attempts" : "unlimited")})";
}
