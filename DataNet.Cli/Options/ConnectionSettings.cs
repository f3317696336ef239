using System;
using System.Globalization;
using DataNet.Td;

namespace DataNet.Cli.Options;

/// <summary>
/// Where and as whom a command connects, resolved from options, then environment variables, then
/// defaults. Without a key everything targets the local gateway with its development key.
/// <see cref="ToString"/> never shows the key.
/// </summary>
internal sealed record ConnectionSettings
{
    public const string LocalApiUrl = "http://127.0.0.1:8080";
    public const string LocalWsUrl = "ws://127.0.0.1:8080";

    /// <summary>Any key starting <c>ak_</c> is valid on the local gateway.</summary>
    public const string LocalDevKey = "ak_local";

    public const string DefaultClientId = "datanet-cli";

    public required string ApiKey { get; init; }

    public required string ApiUrl { get; init; }

    public required string WsUrl { get; init; }

    public string? DeviceId { get; init; }

    public string ClientId { get; init; } = DefaultClientId;

    /// <summary>Keep retrying a connection that fails until the command's timeout (<c>--wait</c>), instead of failing at once.</summary>
    public bool Wait { get; init; }

    /// <summary>True when no key was given and the local gateway's development key is used.</summary>
    public bool UsesLocalDevKey { get; init; }

    /// <summary>True when the API is on this machine (loopback): answers take microseconds, not a network round trip.</summary>
    public bool IsLoopback => Uri.TryCreate(ApiUrl, UriKind.Absolute, out var uri) && uri.IsLoopback;

    /// <summary>A short description for status lines: the API URL and whose key, never the key.</summary>
    public string Describe() => UsesLocalDevKey
        ? string.Create(CultureInfo.InvariantCulture, $"{ApiUrl} (local development key)")
        : string.Create(CultureInfo.InvariantCulture, $"{ApiUrl} (key from {EnvironmentVariables.ApiKey} or --api-key)");

    /// <summary>Client options for this connection; everything else keeps the SDK's defaults.</summary>
    public DataNetOptions ToClientOptions() => new()
    {
        ApiKey = ApiKey,
        ApiUrl = ApiUrl,
        WsUrl = WsUrl,
        DeviceId = DeviceId,
        ClientId = ClientId,
    };

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ConnectionSettings {{ ApiUrl = {ApiUrl}, WsUrl = {WsUrl}, DeviceId = {DeviceId ?? "(persisted)"}, ClientId = {ClientId}, ApiKey = {(UsesLocalDevKey ? "local dev key" : "***")} }}");
}
