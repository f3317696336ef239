namespace DataNet.Gateway;

/// <summary>Counts since the gateway started (<see cref="LocalGateway.Stats"/>, and <c>GET /faults</c> when enabled).</summary>
public sealed record GatewayStats
{
    /// <summary>Open, handshaken connections now.</summary>
    public int Connections { get; init; }

    /// <summary>Client frames refused with <c>invalid_message</c> (bad UTF-8, bad JSON, bad envelope).</summary>
    public long InvalidMessages { get; init; }

    /// <summary>Fan-out messages dropped for a subscriber whose outbox was full (one per subscriber and message).</summary>
    public long SlowConsumerDrops { get; init; }

    /// <summary><c>slow_consumer</c> error frames queued (one per congestion episode of a subscriber).</summary>
    public long SlowConsumerNotices { get; init; }

    /// <summary>Subscribers closed because one episode dropped <see cref="GatewayOptions.SlowConsumerCloseAfterDrops"/> messages.</summary>
    public long SlowConsumerCloses { get; init; }

    /// <summary>Sockets closed after <see cref="GatewayOptions.IdleTimeout"/> without a frame from the client.</summary>
    public long IdleCloses { get; init; }

    /// <summary>Frames lost to the silent fault, both directions.</summary>
    public long SilencedFrames { get; init; }
}
