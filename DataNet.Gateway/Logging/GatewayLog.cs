using Microsoft.Extensions.Logging;

namespace DataNet.Gateway.Logging;

/// <summary>
/// Every log line the gateway writes, as structured LoggerMessage events. None takes an API key or a
/// token: identities are logged as project, deviceId, clientId and connId only. Anything a client chose
/// (deviceId, clientId, channel names) goes through <see cref="LogText.Escape"/> first.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "DataNet gateway listening on {ApiUrl} ({WsUrl})")]
    public static partial void Listening(ILogger logger, string apiUrl, string wsUrl);

    [LoggerMessage(2, LogLevel.Warning, "Gateway bound to {BindAddress}, not loopback: other machines on the network can reach it")]
    public static partial void NotLoopback(ILogger logger, string bindAddress);

    [LoggerMessage(4, LogLevel.Information, "Gateway stopping: closing {Count} connection(s) with 1001 (going away)")]
    public static partial void Stopping(ILogger logger, int count);

    [LoggerMessage(3, LogLevel.Information, "Gateway stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(10, LogLevel.Information, "Token issued for project {ProjectId}, device {DeviceId}, client {ClientId}")]
    public static partial void TokenIssued(ILogger logger, string projectId, string? deviceId, string? clientId);

    [LoggerMessage(11, LogLevel.Information, "Token refused: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string reason);

    [LoggerMessage(12, LogLevel.Information, "Auth fault answered a token request with HTTP {Status}")]
    public static partial void AuthFaultAnswered(ILogger logger, int status);

    [LoggerMessage(20, LogLevel.Information, "Upgrade refused: {Reason}")]
    public static partial void UpgradeRefused(ILogger logger, string reason);

    [LoggerMessage(21, LogLevel.Information, "Connection {ConnId} opened: project {ProjectId}, device {DeviceId}, client {ClientId}")]
    public static partial void ConnectionOpened(ILogger logger, string connId, string projectId, string? deviceId, string? clientId);

    [LoggerMessage(22, LogLevel.Information, "Connection {ConnId} closed ({Reason})")]
    public static partial void ConnectionClosed(ILogger logger, string connId, string reason);

    [LoggerMessage(23, LogLevel.Information, "Connection refused for project {ProjectId}: device limit {Limit} reached")]
    public static partial void DeviceLimitReached(ILogger logger, string projectId, int limit);

    [LoggerMessage(24, LogLevel.Information, "Connection {ConnId} sent a frame over {Limit} bytes: closing with 1009")]
    public static partial void FrameTooBig(ILogger logger, string connId, int limit);

    [LoggerMessage(25, LogLevel.Warning, "Connection {ConnId} reads too slowly: its outbox is full, messages to it are being dropped (channel {Channel})")]
    public static partial void SlowConsumerDropping(ILogger logger, string connId, string? channel);

    [LoggerMessage(26, LogLevel.Warning, "Connection {ConnId} closed as a slow consumer after {Dropped} messages were dropped for it")]
    public static partial void SlowConsumerClosed(ILogger logger, string connId, long dropped);

    [LoggerMessage(27, LogLevel.Information, "Connection {ConnId} idle: nothing received for {Seconds} s, closing")]
    public static partial void IdleClosing(ILogger logger, string connId, double seconds);

    [LoggerMessage(30, LogLevel.Debug, "Error {Code} sent to {ConnId} (channel {Channel})")]
    public static partial void ErrorSent(ILogger logger, string connId, string code, string? channel);

    [LoggerMessage(40, LogLevel.Warning, "Fault: {Fault}")]
    public static partial void Fault(ILogger logger, string fault);

    [LoggerMessage(41, LogLevel.Information, "Fault control refused: {Reason}")]
    public static partial void FaultControlRefused(ILogger logger, string reason);

    [LoggerMessage(50, LogLevel.Information, "Presence refused: {Reason}")]
    public static partial void PresenceRefused(ILogger logger, string reason);

    [LoggerMessage(60, LogLevel.Information, "Web page on {Url} ({Access})")]
    public static partial void WebPageServed(ILogger logger, string url, string access);

    [LoggerMessage(61, LogLevel.Information, "Web page refused: {Reason}")]
    public static partial void WebPageRefused(ILogger logger, string reason);
}
