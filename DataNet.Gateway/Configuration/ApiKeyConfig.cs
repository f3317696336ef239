using System.Collections.Generic;

namespace DataNet.Gateway;

/// <summary>What one API key may do: its project, scopes and channel prefixes.</summary>
public sealed record ApiKeyConfig
{
    /// <summary>The project id (<c>pid</c> claim). Default <c>"local"</c>.</summary>
    public string Project { get; init; } = GatewayConfig.DefaultProject;

    /// <summary>Granted scopes out of <c>pub</c>, <c>sub</c>, <c>presence</c>. Default all three.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = GatewayScopes.All;

    /// <summary>
    /// Channel prefixes the key may use (<c>channel_not_allowed</c> otherwise). Default null: no restriction.
    /// </summary>
    public IReadOnlyList<string>? ChannelPrefixes { get; init; }
}
