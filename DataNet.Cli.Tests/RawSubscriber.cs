using System.Collections.Generic;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using DataNet.Gateway;

namespace DataNet.Cli.Tests;

/// <summary>
/// A bare WebSocket subscriber, independent of DataNet.Td: sees exactly what the gateway delivers, so the
/// bytes the CLI put on the wire are checked by something that did not produce them.
/// </summary>
internal sealed class RawSubscriber : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly List<JsonElement> _frames = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private int _messageCount;

    public IReadOnlyList<JsonElement> Frames
    {
        get
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }
    }

    public static async Task<RawSubscriber> SubscribeAsync(LocalGateway gateway, string channel)
    {
        var subscriber = new RawSubscriber();
        subscriber._socket.Options.AddSubProtocol("bearer");
        subscriber._socket.Options.AddSubProtocol(gateway.IssueToken("ak_raw", "raw-subscriber"));
        await subscriber._socket.ConnectAsync(new Uri(gateway.WsUrl, "/ws"), CancellationToken.None);
        subscriber._reader = subscriber.ReadAsync();
        await Eventually.TrueAsync(() => subscriber.Has("connected"), because: "connected frame");
        var sub = Encoding.UTF8.GetBytes($"{{\"op\":\"sub\",\"ch\":{JsonSerializer.Serialize(channel)}}}");
        await subscriber._socket.SendAsync(sub, WebSocketMessageType.Text, true, CancellationToken.None);
        await Eventually.TrueAsync(() => subscriber.Has("sub_ack"), because: "sub_ack");
        return subscriber;
    }

    public IReadOnlyList<JsonElement> Messages() => Frames.Where(f => Type(f) == "message").ToArray();

    /// <summary>Messages received so far, read without copying the frames (cheap to poll while thousands arrive).</summary>
    public int MessageCount => Volatile.Read(ref _messageCount);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        if (_reader is not null)
        {
            await _reader;
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private static string? Type(JsonElement frame) =>
        frame.TryGetProperty("type", out var type) ? type.GetString() : null;

    private bool Has(string type) => Frames.Any(f => Type(f) == type);

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new List<byte>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.AddRange(buffer.AsSpan(0, result.Count));
                if (result.EndOfMessage)
                {
                    using var document = JsonDocument.Parse(message.ToArray());
                    var frame = document.RootElement.Clone();
                    lock (_frames)
                    {
                        _frames.Add(frame);
                    }

                    if (Type(frame) == "message")
                    {
                        Interlocked.Increment(ref _messageCount);
                    }

                    message.Clear();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // closed by DisposeAsync
        }
    }
}
