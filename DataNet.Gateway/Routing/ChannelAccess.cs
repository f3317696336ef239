using System;
using DataNet.Gateway.Auth;
using DataNet.Gateway.Limits;
using DataNet.Gateway.Protocol;

namespace DataNet.Gateway.Routing;

/// <summary>
/// Whether a token may use a channel for an operation, checked in the order the cloud reports them:
/// scope, channel prefixes, provisioning, then the plan's channel cap.
/// </summary>
internal sealed class ChannelAccess(GatewayConfig config, TopicLedger topics)
{
    /// <summary>Null when allowed; otherwise the error to send.</summary>
    public ServerError? Check(GatewayIdentity identity, string channel, string operation)
    {
        if (!identity.HasScope(operation))
        {
            return ServerError.InsufficientScope(operation);
        }
        if (!identity.AllowsChannel(channel))
        {
            return ServerError.ChannelNotAllowed(channel, operation);
        }
        var project = config.ProjectOrDefault(identity.ProjectId);
        if (project.Channels is { } provisioned && !Contains(provisioned, channel))
        {
            return ServerError.ChannelNotProvisioned(channel, operation);
        }
        if (!topics.TryAdmit(identity.ProjectId, channel, project.TopicLimit))
        {
            return ServerError.TopicLimitReached(channel, operation, project.TopicLimit);
        }
        return null;
    }

    private static bool Contains(System.Collections.Generic.IReadOnlyList<string> channels, string channel)
    {
        foreach (var c in channels)
        {
            if (string.Equals(c, channel, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
