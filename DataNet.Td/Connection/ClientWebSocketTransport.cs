using System;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Td.Connection;

/// <summary>
/// The transport: one <see cref="ClientWebSocket"/> per connection attempt, disposed when the attempt or session ends.
/// Frames are read by a dedicated background thread that blocks until the next frame arrives (so nothing spins in
/// TD's process while the link is quiet), into one reused buffer, and handed to the listener as bytes; no string or
/// object is made per frame here. A frame over the size limit is read through into the same buffer and thrown away.
/// </summary>
internal sealed class ClientWebSocketTransport : IWebSocketTransport
{
    /// <summary>The buffer every frame up to this size is read into; kept for the connection's life.</summary>
    internal const int SmallBufferBytes = 16 * 1024;

    private readonly ITransportListener _listener;
    private readonly int _maxFrameBytes;
    private readonly TimeProvider _time;
    private readonly object _socketGate = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private ClientWebSocket? _socket;
    private int _closedReported;
    private int _disposed;

    public ClientWebSocketTransport(ITransportListener listener, int maxFrameBytes, TimeProvider time)
    {
        _listener = listener;
        _maxFrameBytes = maxFrameBytes;
        _time = time;
    }

    public async Task ConnectAsync(Uri url, string token, TimeSpan timeout, CancellationToken cancel)
    {
        var start = OpenAsync(url, token, timeout);
        var abandoned = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancel.Register(() => abandoned.TrySetResult(true)))
        {
            if (await Task.WhenAny(start, abandoned.Task).ConfigureAwait(false) != start)
            {
                // Stop asked: return now; the connect still running closes its own socket when it ends (OpenAsync).
                _ = start.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                Dispose();
                cancel.ThrowIfCancellationRequested();
            }
        }

        var socket = await start.ConfigureAwait(false);
        cancel.ThrowIfCancellationRequested();
        new Thread(() => ReceiveLoop(socket)) { IsBackground = true, Name = "DataNet receive" }.Start();
    }

    /// <summary>
    /// Opens the native socket. Its connect is bounded by <paramref name="timeout"/> only, never cut short by Dispose:
    /// a <see cref="ClientWebSocket"/> aborted midway through connecting leaves its TCP connection open until the
    /// garbage collector finalizes it (measured on .NET 10: about a third of interrupted connects), while a connect
    /// left to finish is closed right here when the transport was disposed meanwhile.
    /// </summary>
    private async Task<ClientWebSocket> OpenAsync(Uri url, string token, TimeSpan timeout)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new ObjectDisposedException(nameof(ClientWebSocketTransport));
        }

        var socket = new ClientWebSocket();
        // Auth as the sibling SDKs do it: Sec-WebSocket-Protocol: bearer, <jwt>. No query parameters.
        socket.Options.AddSubProtocol("bearer");
        socket.Options.AddSubProtocol(token);
        try
        {
            using var timer = _time.CreateCancellationTokenSource(timeout);
            await socket.ConnectAsync(url, timer.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        lock (_socketGate)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                _socket = socket;
                return socket;
            }
        }

        socket.Abort();
        socket.Dispose();
        throw new ObjectDisposedException(nameof(ClientWebSocketTransport));
    }

    public async Task SendAsync(string text)
    {
        var socket = Volatile.Read(ref _socket);
        if (socket is null || Volatile.Read(ref _disposed) == 1 || socket.State != WebSocketState.Open)
        {
            // Refused, so the envelope goes back to the outbox.
            throw new InvalidOperationException("The socket is not open.");
        }

        // One send at a time, as a WebSocket requires.
        await _sendGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await socket.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(text)), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Abort without a close handshake (a silent server may never answer one); the receive thread then ends.
        ClientWebSocket? socket;
        lock (_socketGate)
        {
            socket = _socket;
        }

        if (socket is not null)
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    /// <summary>
    /// The receive thread: one frame at a time into the small buffer, or into one buffer of the limit's size for a
    /// larger frame (so receiving never holds more than the limit plus the small buffer). The large buffer is let go
    /// right after a frame over the limit, or once frames have fit the small one again for a while.
    /// </summary>
    private void ReceiveLoop(ClientWebSocket socket)
    {
        const int SmallFramesBeforeShrinking = 64;
        using var receiver = new BlockingReceive();
        var small = new byte[SmallBufferBytes];
        byte[]? large = null;
        var smallFrames = 0;
        try
        {
            while (true)
            {
                var buffer = small;
                var count = 0;
                long total = 0;
                ReceivedPart part;
                do
                {
                    if (count == buffer.Length)
                    {
                        if (buffer == small && _maxFrameBytes > small.Length)
                        {
                            large ??= new byte[_maxFrameBytes];
                            Buffer.BlockCopy(small, 0, large, 0, count);
                            buffer = large;
                        }
                        else
                        {
                            // Past the limit: the rest is read over the same bytes and dropped.
                            count = 0;
                        }
                    }

                    part = receiver.Receive(socket, buffer, count, buffer.Length - count);
                    if (part.Type == WebSocketMessageType.Close)
                    {
                        ReportClosed(DescribeClose(socket));
                        return;
                    }

                    count += part.Count;
                    total += part.Count;
                }
                while (!part.EndOfMessage);

                if (Volatile.Read(ref _disposed) == 1)
                {
                    return;
                }

                if (total > _maxFrameBytes)
                {
                    large = null;
                    _listener.OnFrameTooLarge(total, _maxFrameBytes);
                    continue;
                }

                _listener.OnFrame(new ReadOnlySpan<byte>(buffer, 0, count), part.Type == WebSocketMessageType.Text);
                smallFrames = buffer == small ? smallFrames + 1 : 0;
                if (smallFrames >= SmallFramesBeforeShrinking)
                {
                    large = null;
                }
            }
        }
#pragma warning disable CA1031 // Any receive failure means the same thing: this socket is done.
        catch (Exception)
#pragma warning restore CA1031
        {
            ReportClosed("the connection was lost");
        }
    }

    private void ReportClosed(string reason)
    {
        if (Volatile.Read(ref _disposed) == 0 && Interlocked.Exchange(ref _closedReported, 1) == 0)
        {
            _listener.OnClosed(reason);
        }
    }

    private static string DescribeClose(WebSocket socket)
    {
        var text = "the gateway closed the connection";
        if (socket.CloseStatus is { } status)
        {
            text += " (close " + ((int)status).ToString(CultureInfo.InvariantCulture) +
                    (status == WebSocketCloseStatus.MessageTooBig ? ", message too big" : string.Empty) +
                    (string.IsNullOrEmpty(socket.CloseStatusDescription) ? string.Empty : ": " + Printable(socket.CloseStatusDescription!)) + ")";
        }

        return text;
    }

    /// <summary>The server's close text, cut and stripped of control characters before it reaches a status line or log.</summary>
    private static string Printable(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 123));
        foreach (var c in text)
        {
            if (builder.Length == 123)
            {
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }
}

internal sealed class ClientWebSocketTransportFactory : ITransportFactory
{
    private readonly int _maxFrameBytes;
    private readonly TimeProvider _time;

    public ClientWebSocketTransportFactory(int maxFrameBytes, TimeProvider time)
    {
        _maxFrameBytes = maxFrameBytes;
        _time = time;
    }

    public IWebSocketTransport Create(ITransportListener listener) => new ClientWebSocketTransport(listener, _maxFrameBytes, _time);
}
