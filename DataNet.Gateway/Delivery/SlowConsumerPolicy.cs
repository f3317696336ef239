namespace DataNet.Gateway.Delivery;

/// <summary>How far a connection that reads too slowly may fall behind (from <see cref="GatewayOptions"/>).</summary>
/// <param name="OutboxMessages">Fan-out messages one outbox holds; past it they are dropped for that connection.</param>
/// <param name="CloseAfterDrops">Drops in one episode after which the connection is closed; 0 never closes.</param>
internal sealed record SlowConsumerPolicy(int OutboxMessages, int CloseAfterDrops);

/// <summary>What happened to one fan-out message for one subscriber.</summary>
internal enum SlowConsumerVerdict
{
    /// <summary>In the outbox.</summary>
    Queued,

    /// <summary>Not queued: the connection is closing (not counted as a drop).</summary>
    Leaving,

    /// <summary>Dropped (the outbox is full), in an episode the subscriber was already told about.</summary>
    Dropped,

    /// <summary>Dropped, and the first drop of an episode: tell the subscriber.</summary>
    DroppedAndNotify,

    /// <summary>Dropped, and the episode passed the close limit: close the subscriber.</summary>
    DroppedAndClose,
}
