using System;
using System.Net.WebSockets;
using System.Threading.Tasks;

namespace DataNet.Gateway.Sockets;

/// <summary>One frame waiting in a connection's outbox: data, or a close frame.</summary>
internal sealed class OutgoingFrame
{
    private OutgoingFrame(ReadOnlyMemory<byte> data, WebSocketMessageType type, WebSocketCloseStatus? close, string? reason, bool tracked)
    {
        Data = data;
        Type = type;
        CloseStatus = close;
        CloseReason = reason;
        Written = tracked ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    public ReadOnlyMemory<byte> Data { get; }
    public WebSocketMessageType Type { get; }
    public WebSocketCloseStatus? CloseStatus { get; }
    public string? CloseReason { get; }

    /// <summary>Completed once the frame was written or dropped (only for tracked frames).</summary>
    public TaskCompletionSource? Written { get; }

    public static OutgoingFrame Text(byte[] utf8, bool tracked = false) =>
        new(utf8, WebSocketMessageType.Text, null, null, tracked);

    public static OutgoingFrame Binary(byte[] bytes, bool tracked = false) =>
        new(bytes, WebSocketMessageType.Binary, null, null, tracked);

    public static OutgoingFrame Close(WebSocketCloseStatus status, string reason) =>
        new(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Close, status, reason, tracked: true);
}
