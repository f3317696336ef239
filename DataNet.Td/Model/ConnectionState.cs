namespace DataNet.Td;

/// <summary>Where the connection stands.</summary>
public enum ConnectionState
{
    /// <summary>Not connected and not trying (before Connect, after Disconnect or Dispose).</summary>
    Disconnected,

    /// <summary>First attempt under way (auth, socket, waiting for <c>connected</c>).</summary>
    Connecting,

    /// <summary>The gateway sent <c>connected</c>; subscriptions are live.</summary>
    Connected,

    /// <summary>Lost or failed; waiting for the retry policy's delay or attempting again.</summary>
    Reconnecting,

    /// <summary>Stopped for good (fatal error such as <c>device_limit_reached</c> or an invalid key, or the retry policy gave up). Connect() starts over.</summary>
    Failed,
}
