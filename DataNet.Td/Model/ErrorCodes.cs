namespace DataNet.Td;

/// <summary>The error codes the client reports: the gateway's own, and client-side ones shared with the sibling SDKs.</summary>
public static class ErrorCodes
{
    /// <summary>Gateway: a msgs/s or bytes/s budget was exceeded; publishing pauses for <c>retry_ms</c>.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>Gateway: the plan's active-device cap was reached. Fatal: the client stops retrying.</summary>
    public const string DeviceLimitReached = "device_limit_reached";

    /// <summary>Gateway: over the plan's channel cap.</summary>
    public const string TopicLimitReached = "topic_limit_reached";

    /// <summary>Gateway: the channel was not created in the project.</summary>
    public const string ChannelNotProvisioned = "channel_not_provisioned";

    /// <summary>Gateway: the token's channel prefixes do not cover the channel.</summary>
    public const string ChannelNotAllowed = "channel_not_allowed";

    /// <summary>Gateway: the key lacks a scope (<c>required</c> says which).</summary>
    public const string InsufficientScope = "insufficient_scope";

    /// <summary>Gateway: a frame the client sent was not a valid envelope (the local gateway's code; the socket stays open).</summary>
    public const string InvalidMessage = "invalid_message";

    /// <summary>Gateway error envelope without a code.</summary>
    public const string GatewayError = "gateway_error";

    /// <summary>Client: the token request failed (bad key: fatal; server error or timeout: retried).</summary>
    public const string AuthenticationFailed = "authentication_failed";

    /// <summary>Client: an operation needs a token or a connection that is not there yet.</summary>
    public const string NotConnected = "not_connected";

    /// <summary>Client: presence refused with HTTP 403 (the key lacks the <c>presence</c> scope).</summary>
    public const string PresenceForbidden = "presence_forbidden";

    /// <summary>Client: any other presence failure.</summary>
    public const string PresenceFailed = "presence_failed";

    /// <summary>Client: the WebSocket could not be opened, or the handshake failed or timed out.</summary>
    public const string ConnectionFailed = "connection_failed";

    /// <summary>Client: an open connection was lost (closed, aborted, or silent for two heartbeat intervals).</summary>
    public const string ConnectionLost = "connection_lost";

    /// <summary>Client: the retry policy gave up.</summary>
    public const string ReconnectFailed = "reconnect_failed";

    /// <summary>Client: a frame was not a valid DataNet envelope (counted in <see cref="DataNetStats.Malformed"/>).</summary>
    public const string MalformedFrame = "malformed_frame";

    /// <summary>
    /// Client: a frame larger than <see cref="DataNetOptions.MaxReceiveFrameBytes"/> was read through and thrown away
    /// (counted in <see cref="DataNetStats.TooLarge"/>); the connection carries on.
    /// </summary>
    public const string FrameTooLarge = "frame_too_large";

    /// <summary>Client: a raw binary frame arrived with several binary subscriptions, or none, so it has no channel.</summary>
    public const string RawBinaryUnroutable = "raw_binary_unroutable";

    /// <summary>Client: a message handler threw; the exception is in the message, and Poll carried on.</summary>
    public const string HandlerFailed = "handler_failed";
}
