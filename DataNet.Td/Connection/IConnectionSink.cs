using DataNet.Td.Protocol;

namespace DataNet.Td.Connection;

/// <summary>What the connection loop tells the client. Called on background threads; must not block or throw.</summary>
internal interface IConnectionSink
{
    /// <summary>Message, raw binary, malformed and sub_ack frames (the loop handles the rest itself).</summary>
    void OnServerFrame(ServerFrame frame);

    void OnError(DataNetError error);

    void OnStateChanged(ConnectionState state, ConnectionState previous);

    void OnConnected(bool isReconnect);

    void OnDisconnected(string reason);

    void OnPublished();
}
