using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Td.Connection;

namespace DataNet.Testing;

/// <summary>A transport whose server side is the test: it sees every frame the client sends and pushes frames back.</summary>
internal sealed class ScriptedTransport : IWebSocketTransport
{
    /// <summary>The gateway's handshake frame.</summary>
    public const string ConnectedFrame = "{\"type\":\"connected\",\"connId\":\"c1\"}";

    private readonly ITransportListener _listener;
    private readonly Action<ScriptedTransport> _onOpen;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource<bool> _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<bool>? _connectHeld;
    private int _disposed;

    public ScriptedTransport(ITransportListener listener, Action<ScriptedTransport> onOpen, TimeProvider time)
    {
        _listener = listener;
        _onOpen = onOpen;
        _time = time;
    }

    public ConcurrentQueue<string> Sent { get; } = new();

    /// <summary>Every frame sent, with the client's monotonic time when its send started.</summary>
    public ConcurrentQueue<(TimeSpan At, string Text)> SentAt { get; } = new();

    /// <summary>The client's monotonic time when it opened this socket.</summary>
    public TimeSpan OpenedAt { get; private set; }

    public string? Token { get; private set; }

    public Uri? Url { get; private set; }

    public bool IsDisposed => Volatile.Read(ref _disposed) > 0;

    /// <summary>How often Dispose was called: the client's Stop aborts a socket, and its loop disposes it again on its way out.</summary>
    public int DisposeCalls => Volatile.Read(ref _disposed);

    /// <summary>
    /// When set, every send hangs (until <see cref="ReleaseStalledSends"/>), like one into a full TCP buffer behind a
    /// pulled cable.
    /// </summary>
    public bool StallSends { get; set; }

    /// <summary>True while a connect is held by <see cref="HoldConnect"/>.</summary>
    public bool IsConnectHeld => _connectHeld is { Task.IsCompleted: false };

    public Task ConnectAsync(Uri url, string token, TimeSpan timeout, CancellationToken cancel)
    {
        Url = url;
        Token = token;
        OpenedAt = _time.MonotonicNow();
        _onOpen(this);
        // A held connect ignores the token, like a native connect that cannot be cut short.
        return _connectHeld?.Task ?? Task.CompletedTask;
    }

    /// <summary>Call from the open callback: the connect hangs until <see cref="ReleaseConnect"/>.</summary>
    public void HoldConnect() => _connectHeld = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseConnect() => _connectHeld!.TrySetResult(true);

    /// <summary>Lets every stalled send complete, as if the link came back.</summary>
    public void ReleaseStalledSends() => _stalled.TrySetResult(true);

    public Task SendAsync(string text)
    {
        if (IsDisposed)
        {
            throw new InvalidOperationException("closed");
        }

        SentAt.Enqueue((_time.MonotonicNow(), text));
        Sent.Enqueue(text);
        return StallSends ? _stalled.Task : Task.CompletedTask;
    }

    public void ServerText(string text) => _listener.OnFrame(System.Text.Encoding.UTF8.GetBytes(text), isText: true);

    public void ServerBinary(byte[] bytes) => _listener.OnFrame(bytes, isText: false);

    public void ServerClose(string reason) => _listener.OnClosed(reason);

    public void Dispose() => Interlocked.Increment(ref _disposed);
}

internal sealed class ScriptedTransportFactory : ITransportFactory
{
    private readonly Action<int, ScriptedTransport> _onOpen;
    private readonly TimeProvider _time;
    private readonly List<ScriptedTransport> _created = new();

    /// <param name="onOpen">Called with the attempt number (1-based) when the client opens a socket.</param>
    /// <param name="time">The client's clock, for the times the sockets record (the system clock by default).</param>
    public ScriptedTransportFactory(Action<int, ScriptedTransport> onOpen, TimeProvider? time = null)
    {
        _onOpen = onOpen;
        _time = time ?? TimeProvider.System;
    }

    public IReadOnlyList<ScriptedTransport> Created
    {
        get
        {
            lock (_created)
            {
                return _created.ToArray();
            }
        }
    }

    public IWebSocketTransport Create(ITransportListener listener)
    {
        lock (_created)
        {
            var attempt = _created.Count + 1;
            var transport = new ScriptedTransport(listener, t => _onOpen(attempt, t), _time);
            _created.Add(transport);
            return transport;
        }
    }
}
