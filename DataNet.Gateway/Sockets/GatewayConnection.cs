using System;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using DataNet.Gateway.Auth;
using DataNet.Gateway.Delivery;
using DataNet.Gateway.Faults;
using DataNet.Gateway.Limits;
using Microsoft.AspNetCore.Http;

namespace DataNet.Gateway.Sockets;

/// <summary>
/// One accepted WebSocket: its identity, its outbox (a single writer task sends every frame, so acks,
/// errors and fan-out keep their order) and its fault switches. The receive loop lives in
/// <see cref="ConnectionSession"/>.
/// </summary>
/// <remarks>
/// The outbox holds at most <see cref="GatewayOptions.OutboxMessages"/> fan-out messages plus a small reserve for
/// the connection's own replies. Fan-out never waits: a full outbox drops the message for this connection only
/// (<see cref="SlowConsumerPolicy"/>). Replies to the connection's own requests wait for room, which only slows
/// that connection's own reading.
/// </remarks>
internal sealed class GatewayConnection : IDisposable
{
    // Room kept for acks and errors (the slow-consumer notice among them) once fan-out filled its share.
    private const int ReplyReserve = 64;

    private readonly Channel<OutgoingFrame> _outbox;
    private readonly int _messageCapacity;
    private readonly HttpContext _http;
    private readonly CancellationTokenSource _aborted = new();
    private readonly SilenceSwitch _silence = new();
    private readonly SilenceCounter _silenced;
    private readonly TimeProvider _clock;
    private long _lastHeardTicks;
    private long _closeQueuedAtMs;
    private int _closeQueued;
    private volatile bool _outboxClosed;
    private readonly object _endGate = new();
    private bool _ended;

    public GatewayConnection(
        string connId, GatewayIdentity identity, WebSocket socket, HttpContext http, TimeProvider clock, SilenceCounter silenced,
        SlowConsumerPolicy slowConsumers, GatewayCounters counters)
    {
        _silenced = silenced;
        _clock = clock;
        _messageCapacity = slowConsumers.OutboxMessages;
        _outbox = Channel.CreateBounded<OutgoingFrame>(new BoundedChannelOptions(_messageCapacity + ReplyReserve)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        ConnId = connId;
        Identity = identity;
        Socket = socket;
        _http = http;
        SlowConsumer = new SlowConsumerState(slowConsumers, counters);
        ConnectedAt = clock.GetUtcNow();
        _lastHeardTicks = ConnectedAt.UtcTicks;
    }

    public string ConnId { get; }
    public GatewayIdentity Identity { get; }
    public WebSocket Socket { get; }

    /// <summary>The sender id other clients see in <c>from</c>: the deviceId when the token has one, else the connId.</summary>
    public string From => Identity.DeviceId ?? ConnId;

    /// <summary>The device this connection counts as for the device limit.</summary>
    public string DeviceKey => Identity.DeviceId ?? ConnId;

    /// <summary>This connection's own publish budget (<see cref="ProjectConfig.MessagesPerSecond"/>).</summary>
    public RateWindow PublishWindow { get; } = new();

    /// <summary>Drops and notices of the slow-consumer policy for this connection.</summary>
    public SlowConsumerState SlowConsumer { get; }

    /// <summary>When the handshake completed, on the gateway's clock.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>When the last frame arrived from the client (the handshake counts), on the gateway's clock.</summary>
    public DateTimeOffset LastHeard => new(Interlocked.Read(ref _lastHeardTicks), TimeSpan.Zero);

    /// <summary>
    /// <see cref="Environment.TickCount64"/> when a close frame was queued (0 while none is), for aborting a close
    /// that never gets out. Real time, not the gateway's clock: a frozen test clock must not keep a socket open.
    /// </summary>
    public long CloseQueuedAtMs => Interlocked.Read(ref _closeQueuedAtMs);

    /// <summary>Channels this connection subscribes to; touched only by its own receive loop and cleanup.</summary>
    public HashSet<string> Channels { get; } = new(StringComparer.Ordinal);

    public CancellationToken Aborted => _aborted.Token;

    public bool IsSilent => _silence.IsOn;

    /// <summary>Queues a frame without waiting; false when the outbox is full or closed.</summary>
    public bool TryEnqueue(OutgoingFrame frame) => _outbox.Writer.TryWrite(frame);

    /// <summary>Records that a frame arrived from the client (for the idle timeout).</summary>
    public void Heard() => Interlocked.Exchange(ref _lastHeardTicks, _clock.GetUtcNow().UtcTicks);

    /// <summary>
    /// Queues a fan-out message without ever waiting. When this connection's share of the outbox is full the
    /// message is dropped for this connection only and the slow-consumer policy decides what else happens.
    /// </summary>
    public SlowConsumerVerdict TryEnqueueMessage(OutgoingFrame frame, string channel)
    {
        if (_outboxClosed || Volatile.Read(ref _closeQueued) == 1)
        {
            // On its way out (closed, aborted, or a close frame queued): not queued, and not a slow consumer.
            return SlowConsumerVerdict.Leaving;
        }
        if (_outbox.Reader.Count < _messageCapacity && _outbox.Writer.TryWrite(frame))
        {
            return SlowConsumerVerdict.Queued;
        }
        var verdict = SlowConsumer.Dropped();
        if (verdict == SlowConsumerVerdict.DroppedAndNotify)
        {
            // The reserve has room unless the client's own replies filled it; then the next drop tries again.
            if (_outbox.Writer.TryWrite(OutgoingFrame.Text(Protocol.ServerEnvelopes.Error(
                Protocol.ServerError.SlowConsumer(channel, _messageCapacity)))))
            {
                SlowConsumer.NoticeSent();
            }
            else
            {
                SlowConsumer.NoticeNotSent();
            }
        }
        return verdict;
    }

    /// <summary>Queues a frame, waiting while the outbox is full; false once the connection is gone.</summary>
    public async ValueTask<bool> EnqueueAsync(OutgoingFrame frame, CancellationToken ct)
    {
        if (_outbox.Writer.TryWrite(frame))
        {
            return true;
        }
        try
        {
            while (await _outbox.Writer.WaitToWriteAsync(ct).ConfigureAwait(false))
            {
                if (_outbox.Writer.TryWrite(frame))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return false;
    }

    /// <summary>Why the gateway ended this connection itself (a stop), for the log; null when it did not.</summary>
    public string? EndedByGateway { get; private set; }

    /// <summary>Queues a close frame once; the writer sends it after everything queued before it.</summary>
    public bool QueueClose(WebSocketCloseStatus status, string reason) => TryQueueClose(status, reason) is not null;

    /// <summary>
    /// The gateway stops: queues a close frame and returns a task that completes once it is written. A
    /// connection already closing keeps its own close; a full outbox or a dead link gets no close frame and is
    /// aborted at once.
    /// </summary>
    public Task CloseForStopAsync(WebSocketCloseStatus status, string reason)
    {
        if (Volatile.Read(ref _closeQueued) == 1)
        {
            return Task.CompletedTask;
        }
        EndedByGateway = reason;
        if (!IsSilent && TryQueueClose(status, reason) is { Written: { } written })
        {
            return written.Task;
        }
        Abort();
        return Task.CompletedTask;
    }

    private OutgoingFrame? TryQueueClose(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closeQueued, 1) == 1)
        {
            return null;
        }
        Interlocked.Exchange(ref _closeQueuedAtMs, Environment.TickCount64);
        var close = OutgoingFrame.Close(status, reason);
        return _outbox.Writer.TryWrite(close) ? close : null;
    }

    /// <summary>Ends the TCP connection at once: no close frame. Does nothing once the session ended.</summary>
    public void Abort()
    {
        CompleteOutbox();
        // Under the lock Dispose takes: the request handler disposes this connection before it returns, and only
        // after it returns does ASP.NET recycle the HttpContext (whose Abort then fails with a NullReferenceException).
        lock (_endGate)
        {
            if (_ended)
            {
                return;
            }
            try
            {
                _aborted.Cancel();
                Socket.Abort();
                _http.Abort();
            }
            catch (ObjectDisposedException)
            {
                // ASP.NET already disposed the socket (a client that left on its own): nothing left to abort.
            }
        }
    }

    /// <summary>Silent: frames read are discarded, reading pauses, nothing is written; TCP stays open.</summary>
    public void SetSilent(bool silent) => _silence.Set(silent);

    /// <summary>Counts a frame read while silent (lost), then completes when the connection is audible again.</summary>
    public Task DiscardAndWaitAudibleAsync()
    {
        _silenced.Increment();
        return _silence.WhenOffAsync();
    }

    /// <summary>Sends queued frames until the outbox completes, a close frame is sent, or the socket fails.</summary>
    public async Task RunWriterAsync()
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync(_aborted.Token).ConfigureAwait(false))
            {
                if (frame.CloseStatus is { } status)
                {
                    await Socket.CloseOutputAsync(status, frame.CloseReason, _aborted.Token).ConfigureAwait(false);
                    frame.Written?.TrySetResult();
                    return;
                }
                if (IsSilent)
                {
                    _silenced.Increment();
                }
                else
                {
                    await Socket.SendAsync(frame.Data, frame.Type, endOfMessage: true, _aborted.Token).ConfigureAwait(false);
                }
                frame.Written?.TrySetResult();
                if (_outbox.Reader.Count == 0)
                {
                    SlowConsumer.Drained();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The socket is gone; the receive loop notices and cleans up.
            Abort();
        }
        finally
        {
            CompleteOutbox();
            while (_outbox.Reader.TryRead(out var left))
            {
                left.Written?.TrySetResult();
            }
        }
    }

    /// <summary>Stops accepting frames; the writer drains what is queued and ends.</summary>
    public void CompleteOutbox()
    {
        _outboxClosed = true;
        _outbox.Writer.TryComplete();
    }

    /// <summary>The session ended (called by the request handler before it returns): later aborts do nothing.</summary>
    public void Dispose()
    {
        lock (_endGate)
        {
            _ended = true;
            _aborted.Dispose();
        }
    }
}
