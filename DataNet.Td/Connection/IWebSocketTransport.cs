using System;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Td.Connection;

/// <summary>Receives a transport's frames and its end, on the transport's own thread. Must not throw or block.</summary>
internal interface ITransportListener
{
    /// <summary>One whole frame; <paramref name="payload"/> is the transport's buffer, valid only during the call.</summary>
    void OnFrame(ReadOnlySpan<byte> payload, bool isText);

    /// <summary>A frame over the size limit was read through and thrown away; <paramref name="bytes"/> is its size.</summary>
    void OnFrameTooLarge(long bytes, int limit);

    void OnClosed(string reason);
}

/// <summary>One WebSocket connection: opened once, used, disposed. The client owns every retry.</summary>
internal interface IWebSocketTransport : IDisposable
{
    /// <summary>Opens the socket with subprotocols <c>bearer</c> then the token; throws on failure or timeout.</summary>
    Task ConnectAsync(Uri url, string token, TimeSpan timeout, CancellationToken cancel);

    /// <summary>Sends one text frame; throws when the socket is not open.</summary>
    Task SendAsync(string text);
}

internal interface ITransportFactory
{
    IWebSocketTransport Create(ITransportListener listener);
}
