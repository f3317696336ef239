using System;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Testing;

/// <summary>
/// A hostile WebSocket server on 127.0.0.1: accepts one client's upgrade (any token) and then sends whatever the test
/// scripts, byte for byte, including frames no real gateway would send. Authentication stays with a real gateway.
/// </summary>
public sealed class RogueServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TaskCompletionSource<WebSocket> _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TcpClient? _connection;

    private RogueServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>The base URL to give the client as <c>WsUrl</c>.</summary>
    public string Url => "ws://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static RogueServer Start() => new();

    /// <summary>The client's socket, once it has upgraded.</summary>
    public Task<WebSocket> ClientAsync() => _accepted.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public async Task SendTextAsync(string text)
    {
        var socket = await ClientAsync().ConfigureAwait(false);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// One text frame of <paramref name="totalBytes"/>, its header and then one reused chunk again and again written
    /// straight to the TCP stream (nothing big here). Not through the WebSocket's own send: that rents a buffer per
    /// call, and on a busy machine, its continuations hopping threads, the rentals allocate as much as the frame,
    /// while the tests measure the whole process's allocations.
    /// </summary>
    public async Task SendHugeTextAsync(long totalBytes)
    {
        await ClientAsync().ConfigureAwait(false);
        var stream = _connection!.GetStream();
        var header = new byte[10];
        header[0] = 0x81;   // FIN, text
        header[1] = 127;    // unmasked (server to client), a 64-bit length follows
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)totalBytes);
        await stream.WriteAsync(header).ConfigureAwait(false);
        var chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'7');
        for (long sent = 0; sent < totalBytes; sent += chunk.Length)
        {
            await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, totalBytes - sent))).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        if (_accepted.Task.IsCompletedSuccessfully)
        {
            (await _accepted.Task.ConfigureAwait(false)).Abort();
        }

        _connection?.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            _connection = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            var stream = _connection.GetStream();
            var request = new StringBuilder();
            var one = new byte[1];
            while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one).ConfigureAwait(false) == 1)
            {
                request.Append((char)one[0]);
            }

            var key = "";
            foreach (var line in request.ToString().Split("\r\n"))
            {
                if (line.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))
                {
                    key = line["Sec-WebSocket-Key:".Length..].Trim();
                }
            }

#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for the accept key; it protects nothing.
            var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
            var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                           "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: bearer\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response)).ConfigureAwait(false);
            _accepted.TrySetResult(WebSocket.CreateFromStream(stream, isServer: true, subProtocol: "bearer", keepAliveInterval: Timeout.InfiniteTimeSpan));
        }
#pragma warning disable CA1031 // A failed accept shows up as ClientAsync timing out, with this exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _accepted.TrySetException(ex);
        }
    }
}
