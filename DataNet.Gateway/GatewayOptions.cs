using System;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway;

/// <summary>How a <see cref="LocalGateway"/> listens, issues tokens and logs.</summary>
public sealed record GatewayOptions
{
    /// <summary>TCP port. Default 8080; 0 picks a free port (read it back from <see cref="LocalGateway.Port"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>IP address to bind. Default <c>127.0.0.1</c> (loopback only); anything else logs a warning.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>Lifetime of issued JWTs (the <c>exp</c> claim). Default 10 minutes.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest client message in bytes; a larger one closes the socket with 1009. Default 1 MiB.</summary>
    public int MaxFrameBytes { get; init; } = 1024 * 1024;

    /// <summary>JSON file with keys, projects, scopes, prefixes, channels and limits. Default null (dev defaults).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The same settings in code; used instead of <see cref="ConfigPath"/> when both are set. Default null.</summary>
    public GatewayConfig? Config { get; init; }

    /// <summary>
    /// File that keeps the token signing key (base64; created with a random key when missing, owner-only on Unix),
    /// so tokens issued before a restart of the process stay valid. Default null: a random key per
    /// <see cref="LocalGateway"/> instance (still kept across <see cref="LocalGateway.RestartAsync"/>).
    /// </summary>
    public string? SigningKeyPath { get; init; }

    /// <summary>Clock for <c>ts</c>, <c>timestamp</c>, token lifetimes and rate windows. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Extra log sink (e.g. a test capturing log lines). Default null.</summary>
    public ILoggerProvider? LoggerProvider { get; init; }

    /// <summary>Write logs to the console (the program does). Default false.</summary>
    public bool LogToConsole { get; init; }

    /// <summary>Console logs as JSON lines instead of plain text. Default false.</summary>
    public bool LogAsJson { get; init; }

    /// <summary>
    /// Keep a copy of every client frame handled, readable from <see cref="LocalGateway.ClientFrames"/>.
    /// Default false (memory grows with traffic: for tests only).
    /// </summary>
    public bool RecordClientFrames { get; init; }

    /// <summary>Lowest level logged. Default <see cref="LogLevel.Information"/>.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;
}
