namespace DataNet.Gateway.Protocol;

/// <summary>
/// One error envelope. Null fields are omitted; written in the order
/// type, error, channel, operation, limit, required, retry_ms, scope, message.
/// </summary>
internal sealed record ServerError(string Code)
{
    public string? Channel { get; init; }
    public string? Operation { get; init; }
    public int? Limit { get; init; }
    public string? Required { get; init; }
    public long? RetryMs { get; init; }
    public string? Scope { get; init; }
    public string? Message { get; init; }

    public static ServerError InsufficientScope(string required) =>
        new(ErrorCodes.InsufficientScope) { Required = required };

    public static ServerError ChannelNotAllowed(string channel, string operation) =>
        new(ErrorCodes.ChannelNotAllowed) { Channel = channel, Operation = operation };

    public static ServerError ChannelNotProvisioned(string channel, string operation) =>
        new(ErrorCodes.ChannelNotProvisioned) { Channel = channel, Operation = operation };

    public static ServerError TopicLimitReached(string channel, string operation, int limit) =>
        new(ErrorCodes.TopicLimitReached) { Channel = channel, Operation = operation, Limit = limit };

    public static ServerError RateLimited(string channel, long retryMs, string scope) =>
        new(ErrorCodes.RateLimited) { Channel = channel, RetryMs = retryMs, Scope = scope };

    public static ServerError SlowConsumer(string channel, int outboxMessages) =>
        new(ErrorCodes.SlowConsumer)
        {
            Channel = channel,
            Limit = outboxMessages,
            Message = $"this connection reads too slowly: its outbox holds {outboxMessages} messages and newer ones are being dropped",
        };

    public static ServerError DeviceLimitReached(int limit) =>
        new(ErrorCodes.DeviceLimitReached) { Limit = limit };

    public static ServerError InvalidMessage(string message) =>
        new(ErrorCodes.InvalidMessage) { Message = message };
}
