namespace DataNet.Td;

/// <summary>What the inbox does when a message arrives while it already holds <see cref="DataNetOptions.InboxCapacity"/> messages.</summary>
public enum InboxOverflowPolicy
{
    /// <summary>Drop the oldest queued message (the default). Every drop is counted in <see cref="DataNetStats.DroppedInboxOverflow"/>.</summary>
    DropOldest,

    /// <summary>
    /// Drop the oldest queued message whose channel has a newer message queued (or is the incoming message's channel),
    /// so every channel keeps its latest value; when every queued message is the only one of its channel, drop the oldest.
    /// Suits CHOP use, where only the newest value per channel matters.
    /// </summary>
    LatestPerChannel,
}

/// <summary>What the outbox (the offline publish queue) does when a publish arrives while it is full.</summary>
public enum OutboxOverflowPolicy
{
    /// <summary>Drop the oldest queued publish and keep the new one (the default); <c>Publish</c> returns true.</summary>
    DropOldest,

    /// <summary>Refuse the new publish; <c>Publish</c> returns false.</summary>
    DropNewest,
}
