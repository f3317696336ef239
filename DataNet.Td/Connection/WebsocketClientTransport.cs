using System;
using System.Globalization;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Websocket.Client;

namespace DataNet.Td.Connection;

/// <summary>
/// The transport over Websocket.Client 5.5.1, used only to move frames: its reconnection, no-message watchdog and
/// error retry are all off (it has fixed 60 s timers, no jitter, and drops sends while disconnected); one instance
/// per connection attempt, disposed when the attempt or session ends.
/// </summary>
internal sealed class WebsocketClientTransport : IWebSocketTransport
{
    private readonly ITransportListener _listener;
    private readonly object _socketGate = new();
    private ClientWebSocket? _socket;
    private WebsocketClient? _client;
    private IDisposable? _messages;
    private IDisposable? _disconnections;
    private int _closedReported;
    private int _disposed;

    public WebsocketClientTransport(ITransportListener listener) => _listener = listener;

    public async Task ConnectAsync(Uri url, string token, TimeSpan timeout, CancellationToken cancel)
    {
        var client = new WebsocketClient(url, logger: null, (target, _) => OpenAsync(target, token, timeout), memoryStreamManager: null)
        {
            Name = "datanet",
            IsReconnectionEnabled = false,
            ReconnectTimeout = null,
            ErrorReconnectTimeout = null,
            LostReconnectTimeout = null,
            ConnectTimeout = timeout,
        };
        _client = client;
        _messages = client.MessageReceived.Subscribe(new Observer<ResponseMessage>(OnMessage));
        _disconnections = client.DisconnectionHappened.Subscribe(new Observer<DisconnectionInfo>(OnDisconnection));

        // StartOrFail throws instead of scheduling the library's own retry.
        var start = client.StartOrFail();
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

        await start.ConfigureAwait(false);
        cancel.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Opens the native socket. Its connect is bounded by <paramref name="timeout"/> only, never cut short by Dispose:
    /// a <see cref="ClientWebSocket"/> aborted midway through connecting leaves its TCP connection open until the
    /// garbage collector finalizes it (measured on .NET 10: about a third of interrupted connects), while a connect
    /// left to finish is closed right here when the transport was disposed meanwhile.
    /// </summary>
    private async Task<WebSocket> OpenAsync(Uri url, string token, TimeSpan timeout)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new ObjectDisposedException(nameof(WebsocketClientTransport));
        }

        var socket = new ClientWebSocket();
        // Auth as the sibling SDKs do it: Sec-WebSocket-Protocol: bearer, <jwt>. No query parameters.
        socket.Options.AddSubProtocol("bearer");
        socket.Options.AddSubProtocol(token);
        try
        {
            using var timer = new CancellationTokenSource(timeout);
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
        throw new ObjectDisposedException(nameof(WebsocketClientTransport));
    }

    public Task SendAsync(string text)
    {
        var client = _client;
        // SendInstant silently skips a closed socket; refuse instead so the envelope goes back to the outbox.
        if (client is null || Volatile.Read(ref _disposed) == 1 || !client.IsRunning || Volatile.Read(ref _socket)?.State != WebSocketState.Open)
        {
            throw new InvalidOperationException("The socket is not open.");
        }

        return client.SendInstant(text);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _messages?.Dispose();
        _disconnections?.Dispose();
        try
        {
            // Abort without a close handshake: Stop() can wait forever for a silent server's close frame.
            _client?.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }

        // The library aborts the socket it knows; this covers one handed over while it was being disposed.
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

    private void OnMessage(ResponseMessage message)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        if (message.MessageType == WebSocketMessageType.Binary)
        {
            _listener.OnBinary(message.Binary ?? Array.Empty<byte>());
        }
        else
        {
            _listener.OnText(message.Text ?? string.Empty);
        }
    }

    private void OnDisconnection(DisconnectionInfo info)
    {
        // Error is a failed connect (StartOrFail throws it to the caller); Exit and ByUser are our own Dispose.
        if (info.Type is DisconnectionType.Error or DisconnectionType.Exit or DisconnectionType.ByUser ||
            Volatile.Read(ref _disposed) == 1 || Interlocked.Exchange(ref _closedReported, 1) == 1)
        {
            return;
        }

        _listener.OnClosed(Describe(info));
    }

    private static string Describe(DisconnectionInfo info)
    {
        var text = info.Type switch
        {
            DisconnectionType.ByServer => "the gateway closed the connection",
            DisconnectionType.Lost => "the connection was lost",
            _ => "the connection ended (" + info.Type + ")",
        };
        if (info.CloseStatus is { } status)
        {
            text += " (close " + ((int)status).ToString(CultureInfo.InvariantCulture) +
                    (status == WebSocketCloseStatus.MessageTooBig ? ", message too big" : string.Empty) +
                    (string.IsNullOrEmpty(info.CloseStatusDescription) ? string.Empty : ": " + info.CloseStatusDescription) + ")";
        }

        return text;
    }

    /// <summary>A plain observer, so the transport does not depend on System.Reactive's extension methods.</summary>
    private sealed class Observer<T> : IObserver<T>
    {
        private readonly Action<T> _next;

        public Observer(Action<T> next) => _next = next;

        public void OnNext(T value)
        {
            // Never let an exception reach Websocket.Client's receive loop: it would force a reconnect.
            try
            {
                _next(value);
            }
#pragma warning disable CA1031 // The socket thread must survive anything; the listener reports its own failures.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}

internal sealed class WebsocketClientTransportFactory : ITransportFactory
{
    public static WebsocketClientTransportFactory Instance { get; } = new();

    public IWebSocketTransport Create(ITransportListener listener) => new WebsocketClientTransport(listener);
}
