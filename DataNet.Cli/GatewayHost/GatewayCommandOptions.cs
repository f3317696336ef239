using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;
using DataNet.Gateway;
using Microsoft.Extensions.Logging;

namespace DataNet.Cli.GatewayHost;

/// <summary>Every option of <c>datanet gateway</c>, and their binding to <see cref="GatewayOptions"/>.</summary>
internal sealed class GatewayCommandOptions
{
    private static readonly GatewayOptions Defaults = new();

    public Option<int> Port { get; } = new("--port", "-p")
    {
        Description = "TCP port (0 picks a free one).",
        DefaultValueFactory = _ => Defaults.Port,
    };

    public Option<string> BindAddress { get; } = new("--bind")
    {
        Description = "IP address to listen on; anything but loopback exposes the gateway to the network.",
        DefaultValueFactory = _ => Defaults.BindAddress,
    };

    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "JSON file with keys, projects, scopes, channel prefixes, channels and limits (default: any ak_ key works).",
    };

    public Option<string?> TokenLifetime { get; } = new("--token-lifetime")
    {
        Description = "Seconds until an issued token expires, fractions allowed (0.5 is 500 ms; default: the config's tokenLifetimeSeconds, else 600).",
    };

    public Option<int> MaxFrameBytes { get; } = new("--max-frame-bytes")
    {
        Description = "Largest client message in bytes; a larger one closes that socket with 1009.",
        DefaultValueFactory = _ => Defaults.MaxFrameBytes,
    };

    public Option<string?> SigningKey { get; } = new("--signing-key")
    {
        Description = $"File keeping the token signing key, so saved tokens stay valid after a restart (default: {DefaultSigningKeyPath}).",
    };

    public Option<bool> FaultControls { get; } = new("--fault-controls")
    {
        Description = "Serve the fault controls over HTTP under /faults/ (tests; loopback --bind only).",
    };

    public Option<bool> RecordFrames { get; } = new("--record-frames")
    {
        Description = "Keep every client frame, readable at GET /faults/frames (memory grows: tests only).",
    };

    public Option<bool> Web { get; } = new("--web")
    {
        Description = "Serve a web page at /web/: channels, rates, last messages, clients, and a live plot (this machine only).",
    };

    public Option<bool> WebNetwork { get; } = new("--web-network")
    {
        Description = "Let other machines open the --web page too (with a non-loopback --bind).",
    };

    public Option<bool> LogJson { get; } = new("--log-json") { Description = "Log JSON lines instead of text." };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Also log debug events (every error envelope sent)." };

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Log nothing (by default connections, subscriptions and errors are logged, never keys or tokens).",
    };

    /// <summary>The per-user data folder, beside the SDK's device id: one key per user, whichever folder the gateway runs from.</summary>
    public static string DefaultSigningKeyPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "DataNet", "gateway-signing-key");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Port, BindAddress, Config, TokenLifetime, MaxFrameBytes, SigningKey, FaultControls, RecordFrames, Web, WebNetwork, LogJson, Verbose, Quiet })
        {
            command.Options.Add(option);
        }
    }

    public GatewayOptions ToGatewayOptions(ParseResult parseResult)
    {
        if (parseResult.GetValue(Quiet) && (parseResult.GetValue(Verbose) || parseResult.GetValue(LogJson)))
        {
            throw new CliException("--quiet logs nothing: leave out --verbose and --log-json", ExitCodes.Usage);
        }
        if (parseResult.GetValue(WebNetwork) && !parseResult.GetValue(Web))
        {
            throw new CliException("--web-network opens the web page to the network: add --web", ExitCodes.Usage);
        }

        return new GatewayOptions
        {
            Port = PortOption.Validate(parseResult.GetValue(Port)),
            BindAddress = parseResult.GetValue(BindAddress) ?? Defaults.BindAddress,
            ConfigPath = ExistingFile(parseResult.GetValue(Config)),
            TokenLifetime = Lifetime(parseResult.GetValue(TokenLifetime)),
            MaxFrameBytes = AtLeast(parseResult.GetValue(MaxFrameBytes), 64, MaxFrameBytes.Name),
            SigningKeyPath = parseResult.GetValue(SigningKey) is { Length: > 0 } path ? Path.GetFullPath(path) : DefaultSigningKeyPath,
            FaultControlsOverHttp = parseResult.GetValue(FaultControls),
            RecordClientFrames = parseResult.GetValue(RecordFrames),
            WebPage = parseResult.GetValue(Web),
            WebPageForNetwork = parseResult.GetValue(WebNetwork),
            LogToConsole = !parseResult.GetValue(Quiet),
            LogAsJson = parseResult.GetValue(LogJson),
            MinimumLogLevel = parseResult.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Information,
        };
    }

    private static int AtLeast(int value, int min, string name) => value >= min
        ? value
        : throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{name}: give a whole number of at least {min}"), ExitCodes.Usage);

    /// <summary>
    /// Null (the config's, else the default) when not given; read with the invariant culture (0.5 is half a second
    /// everywhere) and kept to the millisecond, as tokens carry it in expMs.
    /// </summary>
    private TimeSpan? Lifetime(string? text) =>
        text is null ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.001 and <= 315_360_000
            ? TimeSpan.FromMilliseconds(Math.Round(seconds * 1000))
            : throw new CliException($"{TokenLifetime.Name}: give a number of seconds from 0.001 to 315360000, not '{text}'", ExitCodes.Usage);

    private static string? ExistingFile(FileInfo? file) => file is null
        ? null
        : file.Exists ? file.FullName : throw new CliException($"--config: no such file: {file.FullName}", ExitCodes.Usage);
}
