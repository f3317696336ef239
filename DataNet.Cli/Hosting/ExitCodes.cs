namespace DataNet.Cli.Hosting;

/// <summary>Exit codes, documented in docs/cli.md so that scripts can tell failures apart.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A check or an operation failed (doctor, a rejected publish, a server error).</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments or bad input (unknown option, bad JSON, bad DMX list).</summary>
    public const int Usage = 2;

    /// <summary>The gateway or API could not be reached in time.</summary>
    public const int Unreachable = 3;

    /// <summary>The API key was rejected or lacks a scope.</summary>
    public const int AuthenticationFailed = 4;

    /// <summary>The server throttled us (<c>rate_limited</c>).</summary>
    public const int RateLimited = 5;
}
