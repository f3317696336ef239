using System;

namespace DataNet.Gateway.Limits;

/// <summary>
/// Per-connection publish budget: at most N publishes in a one-second window that opens with the first
/// publish after the previous window closed. Not thread-safe: one connection's receive loop owns it.
/// </summary>
internal sealed class PublishRateLimiter(TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _count;

    /// <summary>True when allowed; otherwise <paramref name="retryMs"/> is the time until the window closes (at least 1).</summary>
    public bool TryAcquire(int perSecond, out long retryMs)
    {
        retryMs = 0;
        if (perSecond <= 0)
        {
            return true;
        }
        var now = clock.GetUtcNow();
        if (now - _windowStart >= Window)
        {
            _windowStart = now;
            _count = 0;
        }
        if (_count < perSecond)
        {
            _count++;
            return true;
        }
        retryMs = Math.Max(1, (long)Math.Ceiling((_windowStart + Window - now).TotalMilliseconds));
        return false;
    }
}
