using System.Collections.Generic;

namespace DataNet.Gateway;

/// <summary>The scope names an API key can carry.</summary>
public static class GatewayScopes
{
    /// <summary>Publish.</summary>
    public const string Pub = "pub";

    /// <summary>Subscribe.</summary>
    public const string Sub = "sub";

    /// <summary>Query presence over REST.</summary>
    public const string Presence = "presence";

    /// <summary>All three scopes.</summary>
    public static IReadOnlyList<string> All { get; } = [Pub, Sub, Presence];
}
