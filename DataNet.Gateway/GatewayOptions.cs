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

    /// <summary>
    /// Lifetime of issued JWTs, to the millisecond. Default null: the config file's <c>tokenLifetimeSeconds</c>,
    /// else 10 minutes.
    /// </summary>
    public TimeSpan? TokenLifetime { get; init; }

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

    /// <summary>
    /// Most fan-out messages waiting in one connection's outbox. Past it, messages to that connection only are
    /// dropped (counted, and the connection is told once with a <c>slow_consumer</c> error); publishers never wait.
    /// Default 4096.
    /// </summary>
    public int OutboxMessages { get; init; } = 4096;

    /// <summary>
    /// Messages dropped for one connection in one congestion episode (until its outbox empties again) after which
    /// the gateway closes that connection. Default 16384; 0 never closes.
    /// </summary>
    public int SlowConsumerCloseAfterDrops { get; init; } = 16384;

    /// <summary>
    /// A handshaken socket from which nothing (no <c>hb</c>, no other frame) arrives for this long is closed with
    /// 1001. Default 90 s: three of the clients' 30 s heartbeats. <see cref="TimeSpan.Zero"/> never closes.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Serve the fault controls over HTTP under <c>/faults/</c> (the same switches as <see cref="LocalGateway.Faults"/>).
    /// Default false. Refused unless <see cref="BindAddress"/> is loopback; requests from other addresses get 403.
    /// </summary>
    public bool FaultControlsOverHttp { get; init; }

    /// <summary>
    /// Serve the web page under <c>/web/</c>: channels in use with their rates and last message, connected clients
    /// and their presence, a live plot of a channel's numeric fields. Default false. Answers callers on this machine
    /// only unless <see cref="WebPageForNetwork"/>.
    /// </summary>
    public bool WebPage { get; init; }

    /// <summary>
    /// Let other machines open the web page when <see cref="BindAddress"/> is not loopback. Default false: requests
    /// from other addresses, or naming a host other than <c>localhost</c> or an IP address, get 403.
    /// </summary>
    public bool WebPageForNetwork { get; init; }

    /// <summary>Lowest level logged. Default <see cref="LogLevel.Information"/>.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;
}
