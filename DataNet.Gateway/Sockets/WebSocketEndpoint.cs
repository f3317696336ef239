using System;
using System.IO;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway.Auth;
using DataNet.Gateway.Hosting;
using DataNet.Gateway.Logging;
using DataNet.Gateway.Protocol;
using Microsoft.AspNetCore.Http;

namespace DataNet.Gateway.Sockets;

/// <summary>
/// <c>GET /ws</c>: checks the <c>bearer</c> + JWT subprotocols (401 otherwise), accepts selecting
/// <c>bearer</c>, enforces the device limit before the handshake, sends <c>connected</c>, then runs the session.
/// </summary>
internal sealed class WebSocketEndpoint(GatewayRuntime runtime)
{
    internal const string BearerProtocol = "bearer";

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            GatewayLog.UpgradeRefused(runtime.Logger, "not a WebSocket upgrade");
            await HttpJson.WriteAsync(context, StatusCodes.Status400BadRequest,
                ServerEnvelopes.RestError("this endpoint only accepts WebSocket upgrades", "websocket_required")).ConfigureAwait(false);
            return;
        }
        var identity = await AuthenticateAsync(context).ConfigureAwait(false);
        if (identity is null)
        {
            await HttpJson.WriteAsync(context, StatusCodes.Status401Unauthorized,
                ServerEnvelopes.RestError("subprotocols must be \"bearer\" and a valid, unexpired token", "unauthorized")).ConfigureAwait(false);
            return;
        }
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = BearerProtocol,
                // No server pings: a silent (faulted) gateway must really be silent.
                KeepAliveInterval = TimeSpan.Zero,
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException)
        {
            GatewayLog.UpgradeRefused(runtime.Logger, "client left during the upgrade");
            return;
        }
        using var connection = new GatewayConnection(
            runtime.Connections.NextConnId(), identity, socket, context, runtime.Clock, runtime.Connections.Silenced, runtime.SlowConsumers, runtime.Counters);
        var deviceLimit = runtime.Config.ProjectOrDefault(identity.ProjectId).DeviceLimit;
        if (!runtime.Devices.TryAcquire(identity.ProjectId, connection.DeviceKey, deviceLimit))
        {
            GatewayLog.DeviceLimitReached(runtime.Logger, identity.ProjectId, deviceLimit);
            await RefuseAsync(socket, ServerEnvelopes.Error(ServerError.DeviceLimitReached(deviceLimit))).ConfigureAwait(false);
            return;
        }
        var reason = "aborted";
        try
        {
            connection.TryEnqueue(OutgoingFrame.Text(ServerEnvelopes.Connected(connection.ConnId)));
            runtime.Connections.Add(connection);
            GatewayLog.ConnectionOpened(runtime.Logger, connection.ConnId, identity.ProjectId,
                LogText.Escape(identity.DeviceId), LogText.Escape(identity.ClientId));
            // The client vanishing (even while the connection is parked by the silent fault) ends the session.
            using var gone = context.RequestAborted.Register(connection.Abort);
            var session = new ConnectionSession(connection, runtime.Frames, runtime.Options.MaxFrameBytes, runtime.Recorder, runtime.Logger);
            reason = await session.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            runtime.Router.RemoveAll(connection);
            runtime.Connections.Remove(connection);
            runtime.Devices.Release(identity.ProjectId, connection.DeviceKey);
            GatewayLog.ConnectionClosed(runtime.Logger, connection.ConnId, connection.EndedByGateway ?? reason);
        }
    }

    private async Task<GatewayIdentity?> AuthenticateAsync(HttpContext context)
    {
        var protocols = context.WebSockets.WebSocketRequestedProtocols;
        var hasBearer = false;
        string? token = null;
        foreach (var protocol in protocols)
        {
            if (string.Equals(protocol, BearerProtocol, StringComparison.OrdinalIgnoreCase))
            {
                hasBearer = true;
            }
            else
            {
                token ??= protocol;
            }
        }
        if (!hasBearer || token is null)
        {
            GatewayLog.UpgradeRefused(runtime.Logger, "subprotocols \"bearer\" and a token are required");
            return null;
        }
        var identity = await runtime.Tokens.ValidateAsync(token).ConfigureAwait(false);
        if (identity is null)
        {
            GatewayLog.UpgradeRefused(runtime.Logger, "token invalid or expired");
        }
        return identity;
    }

    /// <summary>Sends one error envelope before any handshake, then closes (policy violation).</summary>
    private static async Task RefuseAsync(WebSocket socket, byte[] error)
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.SendAsync(error, WebSocketMessageType.Text, endOfMessage: true, grace.Token).ConfigureAwait(false);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "device limit reached", grace.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }
}
