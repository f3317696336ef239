using System;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Tasks;
using DataNet.Gateway.Auth;
using DataNet.Gateway.Faults;
using DataNet.Gateway.Logging;
using DataNet.Gateway.Protocol;
using DataNet.Gateway.Sockets;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway;

/// <summary>
/// Switches that make the gateway misbehave on purpose, so clients can be tested against dead links, dropped
/// connections, junk frames, failing auth, dead tokens and server-side limits. The HTTP fault controls
/// (<see cref="GatewayOptions.FaultControlsOverHttp"/>) call exactly these methods. Methods that act on
/// connections take a <see cref="ConnectionSelector"/> (default: every open connection) and return how many
/// they acted on.
/// </summary>
public sealed class GatewayFaults
{
    private const string DefaultFailureBody = "{\"error\":\"injected auth failure\",\"code\":\"injected_failure\"}";

    private readonly ConnectionRegistry _connections;
    private readonly TokenService _tokens;
    private readonly ILogger _logger;

    internal GatewayFaults(ConnectionRegistry connections, TokenService tokens, ILogger logger)
    {
        _connections = connections;
        _tokens = tokens;
        _logger = logger;
    }

    internal AuthFaultState Auth { get; } = new();

    /// <summary>Aborts every open connection at the TCP level: no close frame is sent.</summary>
    public void DropAllConnections() => DropConnections(ConnectionSelector.All);

    /// <summary>Aborts the selected connections at the TCP level: no close frame is sent.</summary>
    public int DropConnections(ConnectionSelector which)
    {
        ArgumentNullException.ThrowIfNull(which);
        GatewayLog.Fault(_logger, "dropping connections without a close frame");
        var selected = _connections.Select(which);
        foreach (var connection in selected)
        {
            connection.Abort();
        }
        return selected.Count;
    }

    /// <summary>
    /// With <paramref name="silent"/> true (the default), the selected connections open now (default all) turn into
    /// dead links: TCP stays open, but the gateway stops reading from and writing to them (frames in either direction
    /// are lost). Connections opened afterwards behave normally. <c>GoSilent(false)</c> revives them.
    /// </summary>
    public int GoSilent(bool silent = true, ConnectionSelector? which = null)
    {
        GatewayLog.Fault(_logger, silent ? "connections go silent" : "silent connections resume");
        var selected = _connections.Select(which ?? ConnectionSelector.All);
        foreach (var connection in selected)
        {
            connection.SetSilent(silent);
        }
        return selected.Count;
    }

    /// <summary>Sends <paramref name="text"/> as one raw text frame to the selected sockets (default all); completes once written.</summary>
    public Task<int> InjectTextFrameAsync(string text, ConnectionSelector? which = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        GatewayLog.Fault(_logger, "injecting a raw text frame");
        var bytes = Encoding.UTF8.GetBytes(text);
        return SendAsync(which, () => OutgoingFrame.Text(bytes, tracked: true));
    }

    /// <summary>Sends <paramref name="bytes"/> as one raw binary frame to the selected sockets (default all); completes once written.</summary>
    public Task<int> InjectBinaryFrameAsync(byte[] bytes, ConnectionSelector? which = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        GatewayLog.Fault(_logger, "injecting a raw binary frame");
        var copy = (byte[])bytes.Clone();
        return SendAsync(which, () => OutgoingFrame.Binary(copy, tracked: true));
    }

    /// <summary>
    /// Sends <c>{"type":"error","error":"rate_limited",...}</c> to the selected sockets (default all), with
    /// <c>channel</c>, <c>retry_ms</c> and <c>scope</c> only when given: any value, or none. Completes once written.
    /// </summary>
    public Task<int> SendRateLimitedAsync(long? retryMs = null, string? scope = null, string? channel = null, ConnectionSelector? which = null)
    {
        GatewayLog.Fault(_logger, "sending rate_limited");
        var envelope = ServerEnvelopes.Error(new ServerError(ErrorCodes.RateLimited) { Channel = channel, RetryMs = retryMs, Scope = scope });
        return SendAsync(which, () => OutgoingFrame.Text(envelope, tracked: true));
    }

    /// <summary>
    /// Sends <c>device_limit_reached</c> (with <paramref name="limit"/>) to the selected sockets (default all)
    /// after their handshake, then closes them with 1008, as if the plan's device cap had just shrunk.
    /// </summary>
    public Task<int> SendDeviceLimitReachedAsync(int limit = 1, ConnectionSelector? which = null)
    {
        GatewayLog.Fault(_logger, "sending device_limit_reached after the handshake");
        var envelope = ServerEnvelopes.Error(ServerError.DeviceLimitReached(limit));
        var selected = _connections.Select(which ?? ConnectionSelector.All);
        var sent = ConnectionRegistry.SendEachAsync(selected, () => OutgoingFrame.Text(envelope, tracked: true));
        foreach (var connection in selected)
        {
            connection.QueueClose(WebSocketCloseStatus.PolicyViolation, "device limit reached");
        }
        return CountAsync(sent, selected.Count);
    }

    /// <summary>
    /// Every token issued so far is refused from now on (401 at the upgrade and for presence), as if it had expired;
    /// open sockets stay (a token is checked only at the upgrade). New token requests get fresh, valid tokens.
    /// </summary>
    public void ExpireTokens()
    {
        GatewayLog.Fault(_logger, "every token issued so far counts as expired");
        _tokens.RefuseIssuedSoFar();
    }

    /// <summary>
    /// Like <see cref="ExpireTokens"/>, and every open socket that authenticated with such a token is closed
    /// with 1008 ("token revoked"). Returns how many were closed.
    /// </summary>
    public int RevokeTokens()
    {
        GatewayLog.Fault(_logger, "every token issued so far is revoked; their sockets close");
        var refusedUpTo = _tokens.RefuseIssuedSoFar();
        var closed = 0;
        foreach (var connection in _connections.Select(ConnectionSelector.All))
        {
            if (connection.Identity.Sequence <= refusedUpTo)
            {
                connection.QueueClose(WebSocketCloseStatus.PolicyViolation, "token revoked");
                closed++;
            }
        }
        return closed;
    }

    /// <summary>
    /// Makes <c>POST /auth/token</c> answer <paramref name="status"/> with <paramref name="body"/>
    /// (default <c>{"error":"injected auth failure","code":"injected_failure"}</c>) until <see cref="ResetAuth"/>.
    /// </summary>
    public void FailAuth(int status, string? body = null)
    {
        if (status is < 100 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "An HTTP status is 100..599.");
        }
        GatewayLog.Fault(_logger, "token requests fail");
        Auth.Fail(status, body ?? DefaultFailureBody);
    }

    /// <summary>Makes <c>POST /auth/token</c> never answer until <see cref="ResetAuth"/> (or the client gives up).</summary>
    public void HangAuth()
    {
        GatewayLog.Fault(_logger, "token requests hang");
        Auth.Hang();
    }

    /// <summary>Token requests behave normally again; hung requests then complete normally.</summary>
    public void ResetAuth()
    {
        GatewayLog.Fault(_logger, "token requests back to normal");
        Auth.Reset();
    }

    /// <summary>
    /// Frames lost to <see cref="GoSilent"/> so far (read and discarded, or not written), so a test can wait
    /// until the dead link really swallowed something before reviving it.
    /// </summary>
    public long SilencedFrames => _connections.Silenced.Value;

    /// <summary>Token requests being held by <see cref="HangAuth"/> right now.</summary>
    public int HungAuthRequests => Auth.HungRequests;

    private Task<int> SendAsync(ConnectionSelector? which, Func<OutgoingFrame> frame)
    {
        var selected = _connections.Select(which ?? ConnectionSelector.All);
        return CountAsync(ConnectionRegistry.SendEachAsync(selected, frame), selected.Count);
    }

    private static async Task<int> CountAsync(Task written, int count)
    {
        await written.ConfigureAwait(false);
        return count;
    }
}
