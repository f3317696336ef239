using System;
using System.CommandLine;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Options;

/// <summary>
/// The connection options every networked command shares, and their binding: an option wins over its
/// environment variable, which wins over the default.
/// </summary>
internal sealed class ConnectionOptions
{
    public const string CloudApiUrl = "https://api.datanet.art";
    public const string CloudWsUrl = "wss://ws.datanet.art";

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"API key (default: ${EnvironmentVariables.ApiKey}; none: the local gateway's development key). Prefer the variable: options show up in process lists.",
    };

    public Option<string?> ApiUrl { get; } = new("--api-url")
    {
        Description = $"REST API base URL (default: ${EnvironmentVariables.ApiUrl}, else {CloudApiUrl} with a key, {ConnectionSettings.LocalApiUrl} without).",
    };

    public Option<string?> WsUrl { get; } = new("--ws-url")
    {
        Description = $"WebSocket base URL (default: ${EnvironmentVariables.WsUrl}, else derived from the API URL).",
    };

    public Option<string?> DeviceId { get; } = new("--device-id")
    {
        Description = $"Device id (default: ${EnvironmentVariables.DeviceId}, else this tool's own stable per-user id, {CliIdentity.DevicePrefix}...).",
    };

    public Option<string?> ClientId { get; } = new("--client-id")
    {
        Description = $"Client id (default: ${EnvironmentVariables.ClientId}, else {ConnectionSettings.DefaultClientId}).",
    };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for the connection (and for sends to flush) before giving up.",
        DefaultValueFactory = _ => 10,
    };

    public Option<bool> Wait { get; } = new("--wait")
    {
        Description = "If the gateway is not there yet, keep retrying until --timeout (default: fail at once).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Timeout);
        command.Options.Add(Wait);
        command.Options.Add(ApiKey);
        command.Options.Add(ApiUrl);
        command.Options.Add(WsUrl);
        command.Options.Add(DeviceId);
        command.Options.Add(ClientId);
    }

    public ConnectionSettings Bind(ParseResult parseResult, CliConsole console)
    {
        var key = Pick(parseResult.GetValue(ApiKey), console, EnvironmentVariables.ApiKey);
        var apiUrlGiven = Pick(parseResult.GetValue(ApiUrl), console, EnvironmentVariables.ApiUrl);
        var wsUrlGiven = Pick(parseResult.GetValue(WsUrl), console, EnvironmentVariables.WsUrl);

        var apiUrl = apiUrlGiven ?? (key is null ? ConnectionSettings.LocalApiUrl : CloudApiUrl);
        RequireAbsolute(apiUrl, SourceName(parseResult.GetValue(ApiUrl), ApiUrl.Name, EnvironmentVariables.ApiUrl), "http", "https");
        var wsUrl = wsUrlGiven ?? (apiUrlGiven is null && key is not null ? CloudWsUrl : WebSocketBaseFor(apiUrl));
        RequireAbsolute(wsUrl, SourceName(parseResult.GetValue(WsUrl), WsUrl.Name, EnvironmentVariables.WsUrl), "ws", "wss");

        return new ConnectionSettings
        {
            ApiKey = key ?? ConnectionSettings.LocalDevKey,
            UsesLocalDevKey = key is null,
            ApiUrl = apiUrl.TrimEnd('/'),
            WsUrl = wsUrl.TrimEnd('/'),
            DeviceId = Pick(parseResult.GetValue(DeviceId), console, EnvironmentVariables.DeviceId) ?? CliIdentity.DeviceId(),
            Wait = parseResult.GetValue(Wait),
            ClientId = Pick(parseResult.GetValue(ClientId), console, EnvironmentVariables.ClientId)
                ?? ConnectionSettings.DefaultClientId,
        };
    }

    public TimeSpan BindTimeout(ParseResult parseResult)
    {
        var seconds = parseResult.GetValue(Timeout);
        return seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliException("--timeout: give a number of seconds above 0", ExitCodes.Usage);
    }

    /// <summary>The local-gateway convention of the sibling SDKs: the socket lives on the API's host and port.</summary>
    internal static string WebSocketBaseFor(string apiUrl)
    {
        var builder = new UriBuilder(apiUrl)
        {
            Path = string.Empty,
            Query = string.Empty,
        };
        builder.Scheme = builder.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        return builder.Uri.GetLeftPart(UriPartial.Authority);
    }

    private static string? Pick(string? option, CliConsole console, string variable) =>
        string.IsNullOrWhiteSpace(option) ? console.GetEnvironmentVariable(variable) : option.Trim();

    /// <summary>Where a value came from, for an error the user can act on: the option, else its variable.</summary>
    private static string SourceName(string? option, string optionName, string variable) =>
        string.IsNullOrWhiteSpace(option) ? "$" + variable : optionName;

    private static void RequireAbsolute(string url, string optionName, params string[] schemes)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || Array.IndexOf(schemes, uri.Scheme) < 0)
        {
            throw new CliException(
                $"{optionName}: '{url}' is not a {string.Join(" or ", schemes)} URL (for example {(schemes[0] == "http" ? ConnectionSettings.LocalApiUrl : ConnectionSettings.LocalWsUrl)})",
                ExitCodes.Usage);
        }
    }
}
