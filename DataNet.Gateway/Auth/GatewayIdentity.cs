using System;
using System.Collections.Generic;

namespace DataNet.Gateway.Auth;

/// <summary>What a validated JWT says about its holder; <see cref="Sequence"/> is the token's issue order.</summary>
internal sealed record GatewayIdentity(
    string ProjectId,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string>? ChannelPrefixes,
    string? DeviceId,
    string? ClientId,
    string? DeviceName,
    DateTimeOffset ExpiresAt,
    long Sequence)
{
    public bool HasScope(string scope)
    {
        foreach (var granted in Scopes)
        {
            if (string.Equals(granted, scope, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when the JWT's channel prefixes cover <paramref name="channel"/> (no prefixes: everything).</summary>
    public bool AllowsChannel(string channel)
    {
        if (ChannelPrefixes is null)
        {
            return true;
        }
        foreach (var prefix in ChannelPrefixes)
        {
            if (channel.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
