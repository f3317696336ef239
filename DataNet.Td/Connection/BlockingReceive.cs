using System;
using System.Linq.Expressions;
using System.Net.WebSockets;
using System.Threading;

namespace DataNet.Td.Connection;

/// <summary>The part of a receive result the receive loop needs.</summary>
internal readonly struct ReceivedPart
{
    public ReceivedPart(int count, WebSocketMessageType type, bool endOfMessage)
    {
        Count = count;
        Type = type;
        EndOfMessage = endOfMessage;
    }

    public int Count { get; }

    public WebSocketMessageType Type { get; }

    public bool EndOfMessage { get; }
}

/// <summary>
/// One <see cref="WebSocket"/> receive, waited for on the calling (dedicated) thread. netstandard2.0 only offers the
/// <see cref="ArraySegment{T}"/> overload, which allocates a task and a result object per frame; on .NET Core the
/// runtime also has <c>ReceiveAsync(Memory&lt;byte&gt;)</c>, whose <c>ValueTask</c> completes without allocating when
/// data is already buffered. That overload is bound once, at first use, when it exists (.NET Framework falls back).
/// </summary>
internal static class BlockingReceive
{
    private static readonly Func<WebSocket, Memory<byte>, ReceivedPart>? ValueReceive = BindValueReceive();

    public static ReceivedPart Receive(WebSocket socket, byte[] buffer, int offset, int count)
    {
        if (ValueReceive is { } receive)
        {
            return receive(socket, new Memory<byte>(buffer, offset, count));
        }

        var result = socket.ReceiveAsync(new ArraySegment<byte>(buffer, offset, count), CancellationToken.None).GetAwaiter().GetResult();
        return new ReceivedPart(result.Count, result.MessageType, result.EndOfMessage);
    }

    /// <summary>
    /// <c>(s, m) =&gt; { var t = s.ReceiveAsync(m, default); var r = t.IsCompletedSuccessfully ? t.Result :
    /// t.AsTask().GetAwaiter().GetResult(); return new ReceivedPart(r.Count, r.MessageType, r.EndOfMessage); }</c>,
    /// built from reflection because netstandard2.0 cannot name <c>ValueWebSocketReceiveResult</c>.
    /// </summary>
    private static Func<WebSocket, Memory<byte>, ReceivedPart>? BindValueReceive()
    {
        try
        {
            var method = typeof(WebSocket).GetMethod(nameof(WebSocket.ReceiveAsync), new[] { typeof(Memory<byte>), typeof(CancellationToken) });
            if (method is null)
            {
                return null;
            }

            var socket = Expression.Parameter(typeof(WebSocket), "socket");
            var memory = Expression.Parameter(typeof(Memory<byte>), "memory");
            var pending = Expression.Variable(method.ReturnType, "pending");
            var result = Expression.Variable(method.ReturnType.GetGenericArguments()[0], "result");
            var asTask = Expression.Call(pending, method.ReturnType.GetMethod("AsTask")!);
            var waited = Expression.Call(Expression.Call(asTask, asTask.Type.GetMethod("GetAwaiter")!), "GetResult", null);
            var body = Expression.Block(
                new[] { pending, result },
                Expression.Assign(pending, Expression.Call(socket, method, memory, Expression.Default(typeof(CancellationToken)))),
                Expression.Assign(result, Expression.Condition(Expression.Property(pending, "IsCompletedSuccessfully"), Expression.Property(pending, "Result"), waited)),
                Expression.New(
                    typeof(ReceivedPart).GetConstructor(new[] { typeof(int), typeof(WebSocketMessageType), typeof(bool) })!,
                    Expression.Property(result, "Count"),
                    Expression.Property(result, "MessageType"),
                    Expression.Property(result, "EndOfMessage")));
            return Expression.Lambda<Func<WebSocket, Memory<byte>, ReceivedPart>>(body, socket, memory).Compile();
        }
#pragma warning disable CA1031 // Any failure to bind only means the portable overload is used.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
