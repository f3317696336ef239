using System;
using System.IO;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace DataNet.Testing;

/// <summary>One whole WebSocket message (or the close) as a test saw it.</summary>
public sealed record RawFrame(WebSocketMessageType Type, byte[] Bytes, WebSocketCloseStatus? CloseStatus = null)
{
    /// <summary>The bytes as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes);
}

/// <summary>
/// A bare <see cref="ClientWebSocket"/> speaking the DataNet protocol by hand (no SDK), with
/// receive-with-deadline helpers. Connects to <c>{wsBase}/ws</c> with subprotocols <c>bearer</c>, token.
/// </summary>
public sealed class RawSocket : IDisposable
{
    private RawSocket(ClientWebSocket socket) => Socket = socket;

    /// <summary>The underlying socket.</summary>
    public ClientWebSocket Socket { get; }

    /// <summary>Opens the socket; throws <see cref="WebSocketException"/> when the upgrade is refused.</summary>
    /// <param name="wsBase">e.g. ws://127.0.0.1:1234</param>
    /// <param name="subprotocols">Sent in order; default none.</param>
    public static async Task<RawSocket> OpenAsync(Uri wsBase, params string[] subprotocols)
    {
        ArgumentNullException.ThrowIfNull(wsBase);
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var protocol in subprotocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }
        using var deadline = Eventually.Deadline();
        try
        {
            await socket.ConnectAsync(new Uri(wsBase, "/ws"), deadline.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RawSocket(socket);
    }

    /// <summary>Asserts the upgrade is refused and returns the HTTP status the gateway answered with.</summary>
    public static async Task<HttpStatusCode> ExpectRefusedAsync(Uri wsBase, params string[] subprotocols)
    {
        ArgumentNullException.ThrowIfNull(wsBase);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var protocol in subprotocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }
        using var deadline = Eventually.Deadline();
        try
        {
            await socket.ConnectAsync(new Uri(wsBase, "/ws"), deadline.Token).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
        Assert.Fail("The upgrade was accepted.");
        return default;
    }

    /// <summary>Opens with <c>bearer</c> + <paramref name="token"/> and returns after the <c>connected</c> envelope.</summary>
    public static async Task<(RawSocket Socket, string Connected)> ConnectAsync(Uri wsBase, string token)
    {
        var socket = await OpenAsync(wsBase, "bearer", token).ConfigureAwait(false);
        var connected = await socket.ReceiveTextAsync().ConfigureAwait(false);
        return (socket, connected);
    }

    /// <summary>Sends one text frame.</summary>
    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Sends one binary frame.</summary>
    public Task SendBinaryAsync(byte[] bytes) =>
        Socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    /// <summary>Receives one whole message or the close; fails the test at the deadline.</summary>
    public async Task<RawFrame> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var deadline = Eventually.Deadline(timeout);
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer.AsMemory(), deadline.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new RawFrame(WebSocketMessageType.Close, [], Socket.CloseStatus);
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return new RawFrame(result.MessageType, message.ToArray());
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("No frame arrived before the deadline.");
            throw;
        }
    }

    /// <summary>Receives one message and asserts it is text.</summary>
    public async Task<string> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        var frame = await ReceiveAsync(timeout).ConfigureAwait(false);
        Assert.That(frame.Type, Is.EqualTo(WebSocketMessageType.Text), $"expected a text frame, got {frame.Type} ({frame.CloseStatus})");
        return frame.Text;
    }

    /// <summary>Sends a frame and returns the next text frame received.</summary>
    public async Task<string> RequestAsync(string text)
    {
        await SendTextAsync(text).ConfigureAwait(false);
        return await ReceiveTextAsync().ConfigureAwait(false);
    }

    /// <summary>Disposes the socket (abort, no close handshake).</summary>
    public void Dispose() => Socket.Dispose();
}
