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
/// <see cref="WebSocket"/> receives, waited for on the calling (dedicated) thread; one instance per receive thread.
/// netstandard2.0 only offers the <see cref="ArraySegment{T}"/> overload, which allocates a task and a result object
/// per frame, and a blocking wait on a task allocates its own event. On .NET Core the runtime also has
/// <c>ReceiveAsync(Memory&lt;byte&gt;)</c>, whose pooled <c>ValueTask</c> is awaited here through one reused event and
/// one cached continuation: no allocation per frame, whether the data was already buffered or the thread had to
/// wait. That overload is bound once, at first use, when it exists (.NET Framework falls back).
/// </summary>
internal sealed class BlockingReceive : IDisposable
{
    private static readonly Func<WebSocket, Memory<byte>, ManualResetEventSlim, Action, ReceivedPart>? ValueReceive = BindValueReceive();

    // Spin once at most: the thread should sleep until a frame arrives, not burn TD's CPU hoping for one.
    private readonly ManualResetEventSlim _arrived = new(initialState: false, spinCount: 1);
    private readonly Action _wake;

    public BlockingReceive() => _wake = _arrived.Set;

    public ReceivedPart Receive(WebSocket socket, byte[] buffer, int offset, int count)
    {
        if (ValueReceive is { } receive)
        {
            return receive(socket, new Memory<byte>(buffer, offset, count), _arrived, _wake);
        }

        var result = socket.ReceiveAsync(new ArraySegment<byte>(buffer, offset, count), CancellationToken.None).GetAwaiter().GetResult();
        return new ReceivedPart(result.Count, result.MessageType, result.EndOfMessage);
    }

    public void Dispose() => _arrived.Dispose();

    /// <summary>
    /// <c>(s, m, arrived, wake) =&gt; { var t = s.ReceiveAsync(m, default); if (!t.IsCompleted) { arrived.Reset();
    /// t.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(wake); arrived.Wait(); } var r = t.Result;
    /// return new ReceivedPart(r.Count, r.MessageType, r.EndOfMessage); }</c>, built from reflection because
    /// netstandard2.0 cannot name <c>ValueWebSocketReceiveResult</c>. A ValueTask is awaited once and read once, as required.
    /// </summary>
    private static Func<WebSocket, Memory<byte>, ManualResetEventSlim, Action, ReceivedPart>? BindValueReceive()
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
            var arrived = Expression.Parameter(typeof(ManualResetEventSlim), "arrived");
            var wake = Expression.Parameter(typeof(Action), "wake");
            var pending = Expression.Variable(method.ReturnType, "pending");
            var result = Expression.Variable(method.ReturnType.GetGenericArguments()[0], "result");
            var awaiter = Expression.Call(Expression.Call(pending, "ConfigureAwait", null, Expression.Constant(false)), "GetAwaiter", null);
            var body = Expression.Block(
                new[] { pending, result },
                Expression.Assign(pending, Expression.Call(socket, method, memory, Expression.Default(typeof(CancellationToken)))),
                Expression.IfThen(
                    Expression.Not(Expression.Property(pending, "IsCompleted")),
                    Expression.Block(
                        Expression.Call(arrived, nameof(ManualResetEventSlim.Reset), null),
                        Expression.Call(awaiter, "UnsafeOnCompleted", null, wake),
                        Expression.Call(arrived, nameof(ManualResetEventSlim.Wait), null))),
                Expression.Assign(result, Expression.Property(pending, "Result")),
                Expression.New(
                    typeof(ReceivedPart).GetConstructor(new[] { typeof(int), typeof(WebSocketMessageType), typeof(bool) })!,
                    Expression.Property(result, "Count"),
                    Expression.Property(result, "MessageType"),
                    Expression.Property(result, "EndOfMessage")));
            return Expression.Lambda<Func<WebSocket, Memory<byte>, ManualResetEventSlim, Action, ReceivedPart>>(body, socket, memory, arrived, wake).Compile();
        }
#pragma warning disable CA1031 // Any failure to bind only means the portable overload is used.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
