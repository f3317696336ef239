using System.Collections.Concurrent;
using System.IO;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading;

namespace DataNet.Gateway.Tests.Web;

/// <summary>
/// The Chrome DevTools Protocol on one page target, over its WebSocket: commands by id, answers matched by id,
/// events ignored. Enough to navigate, evaluate JavaScript and take a screenshot; no browser-automation package.
/// </summary>
internal sealed class DevToolsSession : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _reader;
    private int _nextId;

    private DevToolsSession(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    public static async Task<DevToolsSession> ConnectAsync(Uri webSocketDebuggerUrl)
    {
        var socket = new ClientWebSocket();
        // Screenshots arrive as one large message.
        socket.Options.SetBuffer(1 << 16, 1 << 16);
        await socket.ConnectAsync(webSocketDebuggerUrl, CancellationToken.None);
        return new DevToolsSession(socket);
    }

    /// <summary>Sends a command and returns its <c>result</c>; a protocol error or a closed socket throws.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        return await answer.Task.WaitAsync(CommandTimeout);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value (JSON-serialisable values only).</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"JavaScript threw: {exception}");
        }
        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var v) ? v : default;
    }

    public async Task<bool> IsTrueAsync(string expression) =>
        await EvaluateAsync(expression) is { ValueKind: JsonValueKind.True };

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Abort();
        try
        {
            await _reader;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _socket.Dispose();
        _closing.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }
                Dispatch(message.ToArray());
                message.SetLength(0);
            }
        }
        finally
        {
            foreach (var answer in _pending.Values)
            {
                answer.TrySetException(new IOException("the DevTools connection closed"));
            }
        }
    }

    private void Dispatch(byte[] message)
    {
        using var json = JsonDocument.Parse(message);
        var root = json.RootElement;
        if (!root.TryGetProperty("id", out var idElement) || !_pending.TryRemove(idElement.GetInt32(), out var answer))
        {
            return; // an event
        }
        if (root.TryGetProperty("error", out var error))
        {
            answer.TrySetException(new InvalidOperationException("DevTools error: " + error.GetRawText()));
        }
        else
        {
            answer.TrySetResult(root.GetProperty("result").Clone());
        }
    }
}
