namespace DataNet.Td.Queues;

internal enum ClientEventKind
{
    Connected,
    Disconnected,
    StateChanged,
    Error,
    Presence,
    ChannelRemoved,
}

/// <summary>A lifecycle event produced on a background thread and raised inside Poll.</summary>
internal sealed class ClientEvent
{
    private ClientEvent(ClientEventKind kind) => Kind = kind;

    public ClientEventKind Kind { get; private init; }

    public string? Text { get; private init; }

    public ConnectionState State { get; private init; }

    public ConnectionState Previous { get; private init; }

    public DataNetError? Error { get; private init; }

    public PresenceResult? Presence { get; private init; }

    public static ClientEvent Connected() => new(ClientEventKind.Connected);

    public static ClientEvent Disconnected(string reason) => new(ClientEventKind.Disconnected) { Text = reason };

    public static ClientEvent StateChanged(ConnectionState state, ConnectionState previous) =>
        new(ClientEventKind.StateChanged) { State = state, Previous = previous };

    public static ClientEvent ForError(DataNetError error) => new(ClientEventKind.Error) { Error = error };

    public static ClientEvent ForPresence(PresenceResult presence) => new(ClientEventKind.Presence) { Presence = presence };

    public static ClientEvent ChannelRemoved(string channel) => new(ClientEventKind.ChannelRemoved) { Text = channel };
}
