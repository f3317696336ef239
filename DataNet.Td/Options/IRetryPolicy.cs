using System;

namespace DataNet.Td;

/// <summary>
/// Decides how long to wait before the next connection attempt. The client asks it after every failed attempt
/// and after every lost connection; it is the seam tests replace with a deterministic policy.
/// </summary>
public interface IRetryPolicy
{
    /// <summary>The delay before the next attempt, or null to stop retrying (the client then reports <c>Failed</c> and says why).</summary>
    /// <param name="context">The attempt number and the error that ended the previous attempt.</param>
    TimeSpan? NextRetryDelay(RetryContext context);
}

/// <summary>What a retry policy knows when it is asked for the next delay.</summary>
public sealed class RetryContext
{
    internal RetryContext(int attempt, TimeSpan elapsed, DataNetError? lastError)
    {
        Attempt = attempt;
        Elapsed = elapsed;
        LastError = lastError;
    }

    /// <summary>1 for the first retry after a success (or after Connect), 2 for the next, and so on.</summary>
    public int Attempt { get; }

    /// <summary>Time since the connection was lost (or since the first attempt failed), on a monotonic clock.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The error that ended the previous attempt, when there was one.</summary>
    public DataNetError? LastError { get; }
}
