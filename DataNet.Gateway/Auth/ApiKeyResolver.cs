using System;
using System.Diagnostics.CodeAnalysis;

namespace DataNet.Gateway.Auth;

/// <summary>Maps an API key to its rights: explicit keys from the config first, then the <c>ak_</c> dev rule.</summary>
internal sealed class ApiKeyResolver(GatewayConfig config)
{
    private static readonly ApiKeyConfig DevKey = new();

    public bool TryResolve(string apiKey, [NotNullWhen(true)] out ApiKeyConfig? key)
    {
        if (config.Keys.TryGetValue(apiKey, out key))
        {
            return true;
        }
        if (config.AllowDevKeys && apiKey.StartsWith("ak_", StringComparison.Ordinal) && apiKey.Length > 3)
        {
            key = DevKey;
            return true;
        }
        key = null;
        return false;
    }
}
