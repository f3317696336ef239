using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Td.Auth;
using DataNet.Td.Protocol;
using DataNet.Td.Queues;

namespace DataNet.Td.Connection;

internal sealed partial class ConnectionSupervisor
{
    private static DataNetError Lost(string reason) => new(ErrorCodes.ConnectionLost, "Connection lost: " + reason);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>One attempt: auth, open, handshake and, when connected, the session until it ends.</summary>
    private async Task<SessionOutcome> RunSessionAsync(bool isReconnect, CancellationToken stop)
    {
        Interlocked.Increment(ref _connectAttempts);
        var cached = _tokens.Current;
        AuthToken token;
        try
        {
            token = await _tokens.GetForConnectAsync(stop).ConfigureAwait(false);
        }
        catch (DataNetException ex) when (!stop.IsCancellationRequested)
        {
            return new SessionOutcome(false, ex.Error);
        }

        var opened = await OpenAsync(token, stop).ConfigureAwait(false);
        if (opened.Refused && ReferenceEquals(token, cached))
        {
            // A restarted gateway refuses the tokens its previous run issued: fetch a new one now, not after a backoff step.
            try
            {
                token = await _tokens.FetchAsync(token, stop).ConfigureAwait(false);
            }
            catch (DataNetException ex) when (!stop.IsCancellationRequested)
            {
                return new SessionOutcome(false, ex.Error);
            }

            opened = await OpenAsync(token, stop).ConfigureAwait(false);
        }

        var (session, transport) = (opened.Session, opened.Transport);
        try
        {
            if (opened.Error is { } failed)
            {
                return new SessionOutcome(false, failed);
            }

            if (isReconnect)
            {
                Interlocked.Increment(ref _reconnects);
            }

            _subscriptions.ResetForSession();
            // A pause asked for by the previous connection's server does not outlive that connection, nor its pacing.
            Interlocked.Exchange(ref _pauseUntilTicks, 0);
            _pacer.Idle();
            SetState(ConnectionState.Connected, stop);
            _sink.OnConnected(isReconnect);
            return new SessionOutcome(true, await RunConnectedAsync(session, transport, stop).ConfigureAwait(false));
        }
        finally
        {
            transport.Dispose();
        }
    }

    /// <summary>Opens a socket with <paramref name="token"/> and waits for <c>connected</c>; the caller disposes the transport.</summary>
    private async Task<OpenResult> OpenAsync(AuthToken token, CancellationToken stop)
    {
        var session = new Session(this);
        var transport = _factory.Create(session);
        try
        {
            return await HandshakeAsync(session, transport, token, stop).ConfigureAwait(false);
        }
        catch
        {
            // Stop during the open or the handshake: nobody else will close this socket.
            transport.Dispose();
            throw;
        }
    }

    private async Task<OpenResult> HandshakeAsync(Session session, IWebSocketTransport transport, AuthToken token, CancellationToken stop)
    {
        try
        {
            await transport.ConnectAsync(_url, token.Value, _options.RequestTimeout, stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            // An error can arrive just before the socket fails (device_limit_reached, then the close): it decides.
            if (session.PreHandshakeError is { } early)
            {
                return new OpenResult(session, transport, early, refused: false);
            }

            // Possibly an expired or revoked token refused at the upgrade: fetch a fresh one next time.
            _tokens.Invalidate(token);
            transport.Dispose();
            var detail = ExceptionText.MessageOf(ex.InnerException ?? ex).Replace(token.Value, "***");
            return new OpenResult(session, transport, new DataNetError(ErrorCodes.ConnectionFailed, $"Could not open {_url}: {detail}"), refused: true);
        }

        var handshake = await WaitForHandshakeAsync(session, stop).ConfigureAwait(false);
        if (handshake is not null && handshake.Code == ErrorCodes.ConnectionFailed)
        {
            _tokens.Invalidate(token);
        }

        return new OpenResult(session, transport, handshake, refused: false);
    }

    /// <summary>Null once <c>connected</c> arrived; otherwise why not (a gateway error, a close, a timeout).</summary>
    private async Task<DataNetError?> WaitForHandshakeAsync(Session session, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var timer = Task.Delay(_options.RequestTimeout, timeout.Token);
        var first = await Task.WhenAny(session.Handshake.Task, session.Closed.Task, timer).ConfigureAwait(false);
        timeout.Cancel();
        stop.ThrowIfCancellationRequested();
        if (session.Handshake.Task.IsCompleted)
        {
            // Checked first whatever completed first: an error and a close racing must not turn a fatal error into a retry.
            return session.Handshake.Task.Result;
        }

        if (first == session.Closed.Task)
        {
            return new DataNetError(ErrorCodes.ConnectionFailed, "The gateway closed the connection before 'connected': " + session.Closed.Task.Result);
        }

        return new DataNetError(ErrorCodes.ConnectionFailed, $"No 'connected' from the gateway within {Seconds(_options.RequestTimeout)}");
    }

    /// <summary>The connected session; returns why it ended.</summary>
    private async Task<DataNetError> RunConnectedAsync(Session session, IWebSocketTransport transport, CancellationToken stop)
    {
        var interval = _options.HeartbeatInterval;
        // While publishes await confirmation, heartbeats go at least once a second: each one is a barrier (see InFlightLedger).
        var barrierEvery = Min(interval, TimeSpan.FromSeconds(1));
        var link = new LinkLiveness(interval);
        var nextHeartbeat = _clock.Now + interval;
        var lastHeartbeat = _clock.Now;
        Task? refresh = null;
        try
        {
            while (true)
            {
                stop.ThrowIfCancellationRequested();
                if (session.FatalError is { } fatal)
                {
                    return fatal;
                }

                if (session.Closed.Task.IsCompleted)
                {
                    return Lost(session.Closed.Task.Result);
                }

                var now = _clock.Now;
                if (link.IsDead(now, session.LastFrame))
                {
                    return DeadLink(now, session);
                }

                while (_subscriptions.TryTakeControl(out var control))
                {
                    if (await TrySendAsync(transport, session, link, control, stop).ConfigureAwait(false) is { } refused)
                    {
                        _subscriptions.RequeueControl(control);
                        return refused;
                    }
                }

                var more = false;
                var paceAt = TimeSpan.MaxValue;
                if (!IsPaused)
                {
                    for (var sent = 0; ; sent++)
                    {
                        if (_outbox.Count == 0)
                        {
                            _pacer.Idle();
                            break;
                        }

                        if (!_pacer.TryTake(_clock.Now, out paceAt))
                        {
                            break;
                        }

                        if (!_outbox.TryDequeue(out var envelope))
                        {
                            break;
                        }

                        if (await TrySendAsync(transport, session, link, envelope, stop).ConfigureAwait(false) is { } refused)
                        {
                            _outbox.Requeue(envelope);
                            return refused;
                        }

                        session.InFlight.Written(envelope);
                        _pacer.Written(_clock.Now);
                        _sink.OnPublished();
                        if (sent + 1 >= SendBatch || IsPaused || session.Closed.Task.IsCompleted)
                        {
                            more = !IsPaused && _outbox.Count > 0;
                            break;
                        }
                    }
                }

                now = _clock.Now;
                if (now >= nextHeartbeat || (session.InFlight.HasUnbarriered && now - lastHeartbeat >= barrierEvery))
                {
                    if (await TrySendAsync(transport, session, link, ClientEnvelopes.Heartbeat, stop).ConfigureAwait(false) is { } refused)
                    {
                        return refused;
                    }

                    session.InFlight.HeartbeatSent();
                    Interlocked.Increment(ref _heartbeats);
                    link.Wrote(now, session.LastFrame);
                    lastHeartbeat = now;
                    nextHeartbeat = now + interval;
                }

                var refreshDue = _tokens.RefreshDueAt;
                var nextRefreshTry = TimeSpan.FromTicks(Interlocked.Read(ref _refreshRetryAtTicks));
                if (refreshDue is { } due && now >= due && now >= nextRefreshTry && refresh is null or { IsCompleted: true })
                {
                    // At most one refresh a second even if a server issued tokens already due; after a failure, 5 s.
                    Interlocked.Exchange(ref _refreshRetryAtTicks, (now + TimeSpan.FromSeconds(1)).Ticks);
                    refresh = RefreshAsync(stop);
                }

                if (more)
                {
                    continue;
                }

                var wake = nextHeartbeat;
                if (session.InFlight.HasUnbarriered)
                {
                    wake = Min(wake, lastHeartbeat + barrierEvery);
                }

                if (link.DeadAt(session.LastFrame) is { } deadAt)
                {
                    wake = Min(wake, deadAt);
                }

                if (IsPaused && _outbox.Count > 0)
                {
                    wake = Min(wake, TimeSpan.FromTicks(Interlocked.Read(ref _pauseUntilTicks)));
                }

                wake = Min(wake, paceAt);
                if (refreshDue is { } later && refresh is null or { IsCompleted: true })
                {
                    wake = Min(wake, Max(later, TimeSpan.FromTicks(Interlocked.Read(ref _refreshRetryAtTicks))));
                }

                var delay = wake - _clock.Now;
                if (delay < TimeSpan.FromMilliseconds(1))
                {
                    delay = TimeSpan.FromMilliseconds(1);
                }

                await _wake.WaitAsync(delay, stop).ConfigureAwait(false);
            }
        }
        finally
        {
            SettleInFlight(session);
            if (refresh is not null)
            {
                try
                {
                    await refresh.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    /// <summary>
    /// The connection ended: publishes written after the last acknowledged heartbeat may be lost. Count them; with
    /// <see cref="DataNetOptions.ResendUnconfirmed"/>, queue them again ahead of everything else, in order.
    /// </summary>
    private void SettleInFlight(Session session)
    {
        var unconfirmed = session.InFlight.TakeUnconfirmed(out var kept);
        Interlocked.Add(ref _unconfirmed, unconfirmed);
        if (kept.Count > 0)
        {
            _outbox.RequeueInOrder(kept);
            Interlocked.Add(ref _resent, kept.Count);
        }
    }

    private static DataNetError DeadLink(TimeSpan now, Session session) =>
        Lost($"no frame from the gateway for {Seconds(now - session.LastFrame)} (two heartbeat intervals): dead link");

    private async Task RefreshAsync(CancellationToken stop)
    {
        try
        {
            await _tokens.FetchAsync(_tokens.Current, stop).ConfigureAwait(false);
        }
        catch (DataNetException ex)
        {
            Interlocked.Exchange(ref _refreshRetryAtTicks, (_clock.Now + TimeSpan.FromSeconds(5)).Ticks);
            // The open socket outlives its token: report, keep the session, and try again a little later.
            _sink.OnError(new DataNetError(ex.Error.Code, "Token refresh failed (the open connection continues): " + ex.Error.Message)
            {
                Status = ex.Error.Status,
            });
        }
    }

    /// <summary>
    /// Null when the frame went out; otherwise why the session ends: the socket refused it, the link died while the
    /// send was blocked (liveness is checked during the wait), or the send took the whole request timeout.
    /// </summary>
    private async Task<DataNetError?> TrySendAsync(IWebSocketTransport transport, Session session, LinkLiveness link, string text, CancellationToken stop)
    {
        try
        {
            var send = transport.SendAsync(text);
            if (!send.IsCompleted)
            {
                // A silent gateway can stop reading: a blocked send is an unanswered write, and must not hold up the
                // dead-link verdict (or Stop) for the whole request timeout.
                var started = _clock.Now;
                link.Wrote(started, session.LastFrame);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                while (!send.IsCompleted)
                {
                    var now = _clock.Now;
                    if (link.IsDead(now, session.LastFrame))
                    {
                        return DeadLink(now, session);
                    }

                    var giveUpAt = started + _options.RequestTimeout;
                    if (now >= giveUpAt)
                    {
                        return Lost(session.CloseReason ?? $"a send was blocked for {Seconds(now - started)}");
                    }

                    var until = link.DeadAt(session.LastFrame) is { } deadAt ? Min(deadAt, giveUpAt) : giveUpAt;
                    var wait = Max(until - now, TimeSpan.FromMilliseconds(1));
                    await Task.WhenAny(send, Task.Delay(wait, timeout.Token)).ConfigureAwait(false);
                    stop.ThrowIfCancellationRequested();
                }

                timeout.Cancel();
            }

            await send.ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any send failure means the same thing: this socket is done.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Lost(session.CloseReason ?? "the socket refused a frame");
        }
    }

    private sealed class OpenResult
    {
        public OpenResult(Session session, IWebSocketTransport transport, DataNetError? error, bool refused)
        {
            Session = session;
            Transport = transport;
            Error = error;
            Refused = refused;
        }

        public Session Session { get; }

        public IWebSocketTransport Transport { get; }

        /// <summary>Null when connected.</summary>
        public DataNetError? Error { get; }

        /// <summary>The socket could not be opened at all (the upgrade failed or was refused).</summary>
        public bool Refused { get; }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>One socket's view: frames in, handshake, close, last-frame time. Runs on the socket thread.</summary>
    private sealed class Session : ITransportListener
    {
        private readonly ConnectionSupervisor _owner;
        private long _lastFrameTicks;
        private volatile DataNetError? _fatal;
        private volatile string? _closeReason;

        public Session(ConnectionSupervisor owner)
        {
            _owner = owner;
            InFlight = new InFlightLedger(owner._options.ResendUnconfirmed ? owner._options.OutboxCapacity : 0);
            _lastFrameTicks = owner._clock.Now.Ticks;
        }

        /// <summary>This connection's publishes not yet confirmed by a heartbeat barrier.</summary>
        public InFlightLedger InFlight { get; }

        public TaskCompletionSource<DataNetError?> Handshake { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TimeSpan LastFrame => TimeSpan.FromTicks(Interlocked.Read(ref _lastFrameTicks));

        public DataNetError? FatalError => _fatal;

        /// <summary>The error the gateway sent before <c>connected</c>, if any.</summary>
        public DataNetError? PreHandshakeError => Handshake.Task.IsCompleted ? Handshake.Task.Result : null;

        public string? CloseReason => _closeReason;

        public void OnText(string text)
        {
            Interlocked.Exchange(ref _lastFrameTicks, _owner._clock.Now.Ticks);
            Handle(ServerFrameReader.ReadText(text, _owner._clock.UtcNow.ToUnixTimeMilliseconds()));
        }

        public void OnBinary(byte[] bytes)
        {
            Interlocked.Exchange(ref _lastFrameTicks, _owner._clock.Now.Ticks);
            Handle(ServerFrameReader.ReadBinary(bytes, _owner._clock.UtcNow.ToUnixTimeMilliseconds()));
        }

        public void OnClosed(string reason)
        {
            _closeReason = reason;
            Closed.TrySetResult(reason);
            _owner.Wake();
        }

        private void Handle(ServerFrame frame)
        {
            switch (frame.Kind)
            {
                case ServerFrameKind.Connected:
                    Handshake.TrySetResult(null);
                    break;
                case ServerFrameKind.Error:
                    var error = frame.Error!;
                    if (!Handshake.Task.IsCompleted)
                    {
                        // Before 'connected' an error fails the attempt (device_limit_reached: for good).
                        Handshake.TrySetResult(error);
                        break;
                    }

                    if (error.IsFatal)
                    {
                        _fatal = error;
                        _owner.Wake();
                        break;
                    }

                    if (error.Code == ErrorCodes.RateLimited)
                    {
                        _owner._pacer.RateLimited(_owner._clock.Now);
                        _owner.PauseFor(error.RetryMs ?? 1000);
                    }

                    // The gateway drops a refused publish: count it, so every sent message is accounted for.
                    if (error.Code == ErrorCodes.RateLimited || error.Operation == "pub" ||
                        (error.Code == ErrorCodes.InsufficientScope && error.Required == "pub"))
                    {
                        Interlocked.Increment(ref _owner._publishesRefused);
                    }

                    _owner._sink.OnError(error);
                    break;
                case ServerFrameKind.HeartbeatAck:
                    InFlight.HeartbeatAcknowledged();
                    break;
                case ServerFrameKind.UnsubAck:
                case ServerFrameKind.Ignored:
                    break;
                default:
                    _owner._sink.OnServerFrame(frame);
                    break;
            }
        }
    }
}
