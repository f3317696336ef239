using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.WebSockets;

namespace DataNet.Gateway.Sockets;

/// <summary>
/// Keeps a copy of every client frame handled, in arrival order per gateway, stamped with the gateway's clock
/// (test aid; off by default).
/// </summary>
internal sealed class FrameRecorder(TimeProvider clock)
{
    private readonly ConcurrentQueue<RecordedFrame> _frames = new();

    public void Record(GatewayConnection connection, ReadOnlyMemory<byte> message, WebSocketMessageType type) =>
        _frames.Enqueue(new RecordedFrame(
            connection.ConnId, connection.Identity.DeviceId, type == WebSocketMessageType.Binary, message.ToArray(), clock.GetUtcNow()));

    public IReadOnlyList<RecordedFrame> Snapshot() => _frames.ToArray();

    public void Clear() => _frames.Clear();
}
