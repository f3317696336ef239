using System.Collections.Generic;

namespace DataNet.Gateway;

/// <summary>Channels and plan limits of one project. Zero means "no limit" for every limit.</summary>
public sealed record ProjectConfig
{
    internal static readonly ProjectConfig Unrestricted = new();

    /// <summary>
    /// Provisioned channels (exact names). Default null: every channel exists.
    /// Any other channel gets <c>channel_not_provisioned</c>.
    /// </summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>Most distinct deviceIds connected at once (<c>device_limit_reached</c>). Default 0: none.</summary>
    public int DeviceLimit { get; init; }

    /// <summary>
    /// Most distinct channels the project may use since the gateway started (<c>topic_limit_reached</c>).
    /// Default 0: none.
    /// </summary>
    public int TopicLimit { get; init; }

    /// <summary>Most publishes per second per connection (<c>rate_limited</c>, scope "connection"). Default 0: none.</summary>
    public int MessagesPerSecond { get; init; }

    /// <summary>Most publishes per second to one channel, all connections together (scope "channel"). Default 0: none.</summary>
    public int ChannelMessagesPerSecond { get; init; }

    /// <summary>Most publishes per second in the whole project (scope "project"). Default 0: none.</summary>
    public int ProjectMessagesPerSecond { get; init; }
}
