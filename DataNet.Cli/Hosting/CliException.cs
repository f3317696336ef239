using System;

namespace DataNet.Cli.Hosting;

/// <summary>
/// An expected failure (bad input, gateway unreachable, key rejected, rate limited): printed as one
/// line on stderr with its exit code, never as a stack trace.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(string message, int exitCode = ExitCodes.Failure)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException()
        : this("the command failed")
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Failure;
    }

    public int ExitCode { get; }
}
