using System;
using System.Text;
using System.Threading.Tasks;
using DataNet.Gateway.Faults;
using DataNet.Gateway.Logging;
using DataNet.Gateway.Sockets;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway;

/// <summary>
/// Switches that make the gateway misbehave on purpose, so clients can be tested against dead links,
/// dropped connections, junk frames and failing auth.
/// </summary>
public sealed class GatewayFaults
{
    private const string DefaultFailureBody = "{\"error\":\"injected auth failure\",\"code\":\"injected_failure\"}";

    private readonly ConnectionRegistry _connections;
    private readonly ILogger _logger;

    internal GatewayFaults(ConnectionRegistry connections, ILogger logger)
    {
        _connections = connections;
        _logger = logger;
    }

    internal AuthFaultState Auth { get; } = new();

    /// <summary>Aborts every open connection at the TCP level: no close frame is sent.</summary>
    public void DropAllConnections()
    {
        GatewayLog.Fault(_logger, "dropping every connection without a close frame");
        _connections.AbortAll();
    }

    /// <summary>
    /// With <paramref name="silent"/> true (the default), every connection open now turns into a dead link:
    /// TCP stays open, but the gateway stops reading from and writing to it (frames in either direction are
    /// lost). Connections opened afterwards behave normally. <c>GoSilent(false)</c> revives them.
    /// </summary>
    public void GoSilent(bool silent = true)
    {
        GatewayLog.Fault(_logger, silent ? "open connections go silent" : "silent connections resume");
        _connections.SetSilent(silent);
    }

    /// <summary>Sends <paramref name="text"/> as one raw text frame to every open socket; completes once written.</summary>
    public Task InjectTextFrameAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        GatewayLog.Fault(_logger, "injecting a raw text frame");
        var bytes = Encoding.UTF8.GetBytes(text);
        return _connections.BroadcastAsync(() => OutgoingFrame.Text(bytes, tracked: true));
    }

    /// <summary>Sends <paramref name="bytes"/> as one raw binary frame to every open socket; completes once written.</summary>
    public Task InjectBinaryFrameAsync(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        GatewayLog.Fault(_logger, "injecting a raw binary frame");
        var copy = (byte[])bytes.Clone();
        return _connections.BroadcastAsync(() => OutgoingFrame.Binary(copy, tracked: true));
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
}
