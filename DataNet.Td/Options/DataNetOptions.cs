using System;
using System.Globalization;
using System.Text;

namespace DataNet.Td;

/// <summary>
/// Immutable client settings. Create with an object initializer, derive variants with <c>with</c>.
/// <see cref="ToString"/> never shows the API key.
/// </summary>
public sealed record DataNetOptions
{
    /// <summary>The project API key (<c>ak_...</c>). Default: null (Connect then fails with <c>authentication_failed</c>).</summary>
    public string? ApiKey { get; init; }

    /// <summary>REST base URL for <c>/auth/token</c> and <c>/presence</c>. Default: <c>https://api.datanet.art</c>.</summary>
    public string ApiUrl { get; init; } = "https://api.datanet.art";

    /// <summary>
    /// WebSocket URL. Default: <c>wss://ws.datanet.art</c>. <c>wss://h</c>, <c>wss://h/</c> and <c>wss://h/ws</c> all mean
    /// <c>wss://h/ws</c>; <c>ws://</c> is accepted for local gateways.
    /// </summary>
    public string WsUrl { get; init; } = "wss://ws.datanet.art";

    /// <summary>
    /// Device identity sent with authentication. Default: null, meaning a stable id created once and kept in a
    /// user-level file (<c>DataNet/device-id</c> under the application-data folder), so that restarts do not use up
    /// the plan's device slots.
    /// </summary>
    public string? DeviceId { get; init; }

    /// <summary>Client identity sent with authentication. Default: <c>touchdesigner</c>.</summary>
    public string ClientId { get; init; } = "touchdesigner";

    /// <summary>Human-readable device name sent with authentication (e.g. the TD project name). Default: null (not sent).</summary>
    public string? DeviceName { get; init; }

    /// <summary>
    /// Delay between connection attempts. Default: <see cref="ExponentialBackoffRetryPolicy.Default"/>
    /// (full jitter, 1 s to 30 s, unlimited attempts).
    /// </summary>
    public IRetryPolicy RetryPolicy { get; init; } = ExponentialBackoffRetryPolicy.Default;

    /// <summary>
    /// Interval between <c>{"op":"hb"}</c> heartbeats. Default: 30 s. A link that delivers no frame at all
    /// (not even <c>hb_ack</c>) for two intervals is treated as dead and reconnected.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout for authentication, presence requests and the WebSocket handshake. Default: 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages held between two <c>Poll</c> calls. Default: 10 000.</summary>
    public int InboxCapacity { get; init; } = 10_000;

    /// <summary>What happens when the inbox is full. Default: <see cref="InboxOverflowPolicy.DropOldest"/>.</summary>
    public InboxOverflowPolicy InboxOverflow { get; init; } = InboxOverflowPolicy.DropOldest;

    /// <summary>Publishes held while offline or rate limited. Default: 1 000.</summary>
    public int OutboxCapacity { get; init; } = 1_000;

    /// <summary>What happens when the outbox is full. Default: <see cref="OutboxOverflowPolicy.DropOldest"/>.</summary>
    public OutboxOverflowPolicy OutboxOverflow { get; init; } = OutboxOverflowPolicy.DropOldest;

    /// <summary>
    /// At-least-once publishing. A publish is confirmed once the gateway answers a heartbeat sent after it (the
    /// gateway handles a connection's frames in order; while publishes await confirmation a heartbeat goes at least
    /// once a second). Publishes still unconfirmed when a connection ends may have been lost in flight; they are
    /// always counted in <see cref="DataNetStats.Unconfirmed"/>. With true they are also queued again, ahead of
    /// everything else and in order (at most <see cref="OutboxCapacity"/> of them), so a message may arrive twice.
    /// Default: false (at-most-once: never sent twice).
    /// </summary>
    public bool ResendUnconfirmed { get; init; }

    /// <summary>Most messages one <c>Poll()</c> dispatches. Default: 10 000.</summary>
    public int PollMaxItems { get; init; } = 10_000;

    /// <summary>Time budget of one <c>Poll()</c>; checked between messages. Default: 4 ms.</summary>
    public TimeSpan PollMaxTime { get; init; } = TimeSpan.FromMilliseconds(4);

    /// <summary>Rows held for <c>TakeRows</c> between frames; the oldest are dropped and counted. Default: 1 000 (0 = no rows).</summary>
    public int RowCapacity { get; init; } = 1_000;

    /// <summary>
    /// Largest envelope the client will send, in UTF-8 bytes. Default: 1 MiB (the gateway's own limit). A larger publish
    /// throws <see cref="ArgumentException"/> instead of being sent and closing the connection.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>Options for a local gateway: <c>http://127.0.0.1:port</c>, <c>ws://127.0.0.1:port</c>, key <c>ak_local</c>.</summary>
    /// <param name="port">The gateway port. Default: 8080.</param>
    public static DataNetOptions LocalGateway(int port = 8080)
    {
        var host = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        return new DataNetOptions { ApiKey = "ak_local", ApiUrl = "http://" + host, WsUrl = "ws://" + host };
    }

    // Records print every property by default; the key must never reach a log or a Status line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ApiKey = ").Append(ApiKey is null ? "(none)" : "(set)")
            .Append(", ApiUrl = ").Append(ApiUrl)
            .Append(", WsUrl = ").Append(WsUrl)
            .Append(", DeviceId = ").Append(DeviceId ?? "(persisted)")
            .Append(", ClientId = ").Append(ClientId)
            .Append(", DeviceName = ").Append(DeviceName ?? "(none)")
            .Append(", RetryPolicy = ").Append(RetryPolicy)
            .Append(", HeartbeatInterval = ").Append(HeartbeatInterval.ToString("c", CultureInfo.InvariantCulture))
            .Append(", RequestTimeout = ").Append(RequestTimeout.ToString("c", CultureInfo.InvariantCulture))
            .Append(", InboxCapacity = ").Append(InboxCapacity.ToString(CultureInfo.InvariantCulture))
            .Append(", InboxOverflow = ").Append(InboxOverflow)
            .Append(", OutboxCapacity = ").Append(OutboxCapacity.ToString(CultureInfo.InvariantCulture))
            .Append(", OutboxOverflow = ").Append(OutboxOverflow)
            .Append(", ResendUnconfirmed = ").Append(ResendUnconfirmed ? "true" : "false")
            .Append(", PollMaxItems = ").Append(PollMaxItems.ToString(CultureInfo.InvariantCulture))
            .Append(", PollMaxTime = ").Append(PollMaxTime.ToString("c", CultureInfo.InvariantCulture))
            .Append(", RowCapacity = ").Append(RowCapacity.ToString(CultureInfo.InvariantCulture))
            .Append(", MaxMessageBytes = ").Append(MaxMessageBytes.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    internal void Validate()
    {
        static void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException(name + " must be positive.", name);
            }
        }

        Positive(HeartbeatInterval, nameof(HeartbeatInterval));
        Positive(RequestTimeout, nameof(RequestTimeout));
        Positive(PollMaxTime, nameof(PollMaxTime));
        if (InboxCapacity < 1)
        {
            throw new ArgumentException("InboxCapacity must be at least 1.", nameof(InboxCapacity));
        }

        if (OutboxCapacity < 1)
        {
            throw new ArgumentException("OutboxCapacity must be at least 1.", nameof(OutboxCapacity));
        }

        if (PollMaxItems < 1)
        {
            throw new ArgumentException("PollMaxItems must be at least 1.", nameof(PollMaxItems));
        }

        if (RowCapacity < 0)
        {
            throw new ArgumentException("RowCapacity cannot be negative.", nameof(RowCapacity));
        }

        if (MaxMessageBytes < 64)
        {
            throw new ArgumentException("MaxMessageBytes must be at least 64.", nameof(MaxMessageBytes));
        }

        if (RetryPolicy is null)
        {
            throw new ArgumentException("RetryPolicy is required.", nameof(RetryPolicy));
        }

        _ = WsUrlNormalizer.Normalize(WsUrl);
        _ = RestUrl.Base(ApiUrl);
    }
}
