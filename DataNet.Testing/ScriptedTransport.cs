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
    private int _disposed;

    public ScriptedTransport(ITransportListener listener, Action<ScriptedTransport> onOpen)
    {
        _listener = listener;
        _onOpen = onOpen;
    }

    public ConcurrentQueue<string> Sent { get; } = new();

    public string? Token { get; private set; }

    public Uri? Url { get; private set; }

    public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    /// <summary>When set, every send hangs forever, like one into a full TCP buffer behind a pulled cable.</summary>
    public bool StallSends { get; set; }

    public Task ConnectAsync(Uri url, string token, TimeSpan timeout, CancellationToken cancel)
    {
        Url = url;
        Token = token;
        _onOpen(this);
        return Task.CompletedTask;
    }

    public Task SendAsync(string text)
    {
        if (IsDisposed)
        {
            throw new InvalidOperationException("closed");
        }

        Sent.Enqueue(text);
        return StallSends ? new TaskCompletionSource<bool>().Task : Task.CompletedTask;
    }

    public void ServerText(string text) => _listener.OnFrame(System.Text.Encoding.UTF8.GetBytes(text), isText: true);

    public void ServerBinary(byte[] bytes) => _listener.OnFrame(bytes, isText: false);

    public void ServerClose(string reason) => _listener.OnClosed(reason);

    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);
}

internal sealed class ScriptedTransportFactory : ITransportFactory
{
    private readonly Action<int, ScriptedTransport> _onOpen;
    private readonly List<ScriptedTransport> _created = new();

    /// <param name="onOpen">Called with the attempt number (1-based) when the client opens a socket.</param>
    public ScriptedTransportFactory(Action<int, ScriptedTransport> onOpen) => _onOpen = onOpen;

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
            var transport = new ScriptedTransport(listener, t => _onOpen(attempt, t));
            _created.Add(transport);
            return transport;
        }
    }
}
