using System;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using DataNet.Gateway.Auth;
using DataNet.Gateway.Faults;
using DataNet.Gateway.Limits;
using Microsoft.AspNetCore.Http;

namespace DataNet.Gateway.Sockets;

/// <summary>
/// One accepted WebSocket: its identity, its outbox (a single writer task sends every frame, so acks,
/// errors and fan-out keep their order) and its fault switches. The receive loop lives in
/// <see cref="ConnectionSession"/>.
/// </summary>
internal sealed class GatewayConnection : IDisposable
{
    // Bounded: a subscriber that does not read slows its publishers down (like TCP), nothing is lost.
    private const int OutboxCapacity = 4096;

    private readonly Channel<OutgoingFrame> _outbox = Channel.CreateBounded<OutgoingFrame>(
        new BoundedChannelOptions(OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly HttpContext _http;
    private readonly CancellationTokenSource _aborted = new();
    private readonly SilenceSwitch _silence = new();
    private readonly SilenceCounter _silenced;
    private int _closeQueued;

    public GatewayConnection(string connId, GatewayIdentity identity, WebSocket socket, HttpContext http, TimeProvider clock, SilenceCounter silenced)
    {
        _silenced = silenced;
        ConnId = connId;
        Identity = identity;
        Socket = socket;
        _http = http;
        RateLimiter = new PublishRateLimiter(clock);
    }

    public string ConnId { get; }
    public GatewayIdentity Identity { get; }
    public WebSocket Socket { get; }

    /// <summary>The sender id other clients see in <c>from</c>: the deviceId when the token has one, else the connId.</summary>
    public string From => Identity.DeviceId ?? ConnId;

    /// <summary>The device this connection counts as for the device limit.</summary>
    public string DeviceKey => Identity.DeviceId ?? ConnId;

    public PublishRateLimiter RateLimiter { get; }

    /// <summary>Channels this connection subscribes to; touched only by its own receive loop and cleanup.</summary>
    public HashSet<string> Channels { get; } = new(StringComparer.Ordinal);

    public CancellationToken Aborted => _aborted.Token;

    public bool IsSilent => _silence.IsOn;

    /// <summary>Queues a frame without waiting; false when the outbox is full or closed.</summary>
    public bool TryEnqueue(OutgoingFrame frame) => _outbox.Writer.TryWrite(frame);

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
        var close = OutgoingFrame.Close(status, reason);
        return _outbox.Writer.TryWrite(close) ? close : null;
    }

    /// <summary>Ends the TCP connection at once: no close frame.</summary>
    public void Abort()
    {
        _outbox.Writer.TryComplete();
        try
        {
            _aborted.Cancel();
            Socket.Abort();
            _http.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The session already ended and ASP.NET recycled the request: nothing left to abort.
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
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The socket is gone; the receive loop notices and cleans up.
            Abort();
        }
        finally
        {
            _outbox.Writer.TryComplete();
            while (_outbox.Reader.TryRead(out var left))
            {
                left.Written?.TrySetResult();
            }
        }
    }

    /// <summary>Stops accepting frames; the writer drains what is queued and ends.</summary>
    public void CompleteOutbox() => _outbox.Writer.TryComplete();

    public void Dispose() => _aborted.Dispose();
}
