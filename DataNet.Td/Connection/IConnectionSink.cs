using DataNet.Td.Protocol;

namespace DataNet.Td.Connection;

/// <summary>What the connection loop tells the client. Called on background threads; must not block or throw.</summary>
internal interface IConnectionSink
{
    /// <summary>
    /// Every frame received, once, after the loop's own handling (handshake, errors); a message before <c>connected</c>
    /// arrives as <see cref="ServerFrameKind.Ignored"/>.
    /// </summary>
    void OnServerFrame(in ServerFrame frame);

    void OnError(DataNetError error);

    void OnStateChanged(ConnectionState state, ConnectionState previous);

    void OnConnected(bool isReconnect);

    void OnDisconnected(string reason);
}
