namespace DataNet.Gateway.Protocol;

/// <summary>The <c>error</c> values of <c>{"type":"error"}</c> envelopes (protocol.md section 5).</summary>
internal static class ErrorCodes
{
    public const string RateLimited = "rate_limited";
    public const string DeviceLimitReached = "device_limit_reached";
    public const string TopicLimitReached = "topic_limit_reached";
    public const string ChannelNotProvisioned = "channel_not_provisioned";
    public const string ChannelNotAllowed = "channel_not_allowed";
    public const string InsufficientScope = "insufficient_scope";

    /// <summary>
    /// The connection's outbox is full and messages to it are being dropped (sent once per congestion episode);
    /// not a cloud code: the gateway's slow-consumer policy.
    /// </summary>
    public const string SlowConsumer = "slow_consumer";

    /// <summary>A client frame that is not a valid envelope; the connection stays up.</summary>
    public const string InvalidMessage = "invalid_message";
}
