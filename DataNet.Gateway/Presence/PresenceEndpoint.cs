using System;
using System.Threading.Tasks;
using DataNet.Gateway.Hosting;
using DataNet.Gateway.Logging;
using DataNet.Gateway.Protocol;
using Microsoft.AspNetCore.Http;

namespace DataNet.Gateway.Presence;

/// <summary>
/// <c>GET /presence?channel=&amp;projectId=</c> with <c>Authorization: Bearer &lt;jwt&gt;</c>:
/// <c>{"occupancy":n,"members":[...]}</c> (members are the subscribers' <c>from</c> ids).
/// 401 without a valid token, 403 without the presence scope or for another project or channel.
/// </summary>
internal sealed class PresenceEndpoint(GatewayRuntime runtime)
{
    public async Task HandleAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "missing bearer token", "unauthorized").ConfigureAwait(false);
            return;
        }
        var identity = await runtime.Tokens.ValidateAsync(header[Scheme.Length..].Trim()).ConfigureAwait(false);
        if (identity is null)
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "invalid or expired token", "unauthorized").ConfigureAwait(false);
            return;
        }
        if (!identity.HasScope(GatewayScopes.Presence))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "the key lacks the presence scope",
                ErrorCodes.InsufficientScope, required: GatewayScopes.Presence).ConfigureAwait(false);
            return;
        }
        var channel = context.Request.Query["channel"].ToString();
        if (channel.Length == 0)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "query parameter \"channel\" is required", "invalid_request").ConfigureAwait(false);
            return;
        }
        var projectId = context.Request.Query["projectId"].ToString();
        if (projectId.Length > 0 && !string.Equals(projectId, identity.ProjectId, StringComparison.Ordinal))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "projectId does not match the token", "project_mismatch").ConfigureAwait(false);
            return;
        }
        if (!identity.AllowsChannel(channel))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "the token's channel prefixes do not cover this channel",
                ErrorCodes.ChannelNotAllowed).ConfigureAwait(false);
            return;
        }
        var members = runtime.Router.Members(identity.ProjectId, channel);
        await HttpJson.WriteAsync(context, StatusCodes.Status200OK, ServerEnvelopes.Presence(members)).ConfigureAwait(false);
    }

    private async Task RefuseAsync(HttpContext context, int status, string error, string code, string? required = null)
    {
        GatewayLog.PresenceRefused(runtime.Logger, error);
        await HttpJson.WriteAsync(context, status, ServerEnvelopes.RestError(error, code, required)).ConfigureAwait(false);
    }
}
