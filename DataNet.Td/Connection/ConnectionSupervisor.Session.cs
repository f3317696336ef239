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
    private async Task<SessionOutcome> RunSessionAsync(bool isReconnect, Run run)
    {
        var stop = run.Token;
        lock (_gate)
        {
            run.ThrowIfStopped();
            Interlocked.Increment(ref _connectAttempts);
        }

        var cached = _tokens.Current;
        AuthToken token;
        try
        {
            token = await _tokens.GetForConnectAsync(stop).ConfigureAwait(false);
        }
        catch (DataNetException ex) when (!run.IsStopped)
        {
            return new SessionOutcome(false, ex.Error);
        }

        var opened = await OpenAsync(token, run).ConfigureAwait(false);
        if (opened.Refused && ReferenceEquals(token, cached))
        {
            // A restarted gateway refuses the tokens its previous run issued: fetch a new one now, not after a backoff step.
            try
            {
                token = await _tokens.FetchAsync(token, stop).ConfigureAwait(false);
            }
            catch (DataNetException ex) when (!run.IsStopped)
            {
                return new SessionOutcome(false, ex.Error);
            }

            opened = await OpenAsync(token, run).ConfigureAwait(false);
        }

        var (session, transport) = (opened.Session, opened.Transport);
        try
        {
            if (opened.Error is { } failed)
            {
                return new SessionOutcome(false, failed);
            }

            lock (_gate)
            {
                run.ThrowIfStopped();
                if (isReconnect)
                {
                    Interlocked.Increment(ref _reconnects);
                }

                _subscriptions.ResetForSession();
                // A pause asked for by the previous connection's server does not outlive that connection, nor its pacing.
                Interlocked.Exchange(ref _pauseUntilTicks, 0);
                _pacer.Idle();
                run.Connected = session;
                SetState(ConnectionState.Connected, run);
                _sink.OnConnected(isReconnect);
            }

            return new SessionOutcome(true, await RunConnectedAsync(session, transport, run).ConfigureAwait(false));
        }
        finally
        {
            transport.Dispose();
        }
    }

    /// <summary>Opens a socket with <paramref name="token"/> and waits for <c>connected</c>; the caller disposes the transport.</summary>
    private async Task<OpenResult> OpenAsync(AuthToken token, Run run)
    {
        var session = new Session(this, run);
        var transport = _factory.Create(session);
        run.Opened(transport);
        try
        {
            return await HandshakeAsync(session, transport, token, run.Token).ConfigureAwait(false);
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
        // The whole connect, upgrade and handshake, takes at most the request timeout (the token cache counts on it).
        var giveUpAt = _time.MonotonicNow() + _options.RequestTimeout;
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

        var handshake = await WaitForHandshakeAsync(session, giveUpAt, stop).ConfigureAwait(false);
        if (handshake is not null && handshake.Code == ErrorCodes.ConnectionFailed)
        {
            _tokens.Invalidate(token);
        }

        return new OpenResult(session, transport, handshake, refused: false);
    }

    /// <summary>Null once <c>connected</c> arrived; otherwise why not (a gateway error, a close, a timeout).</summary>
    private async Task<DataNetError?> WaitForHandshakeAsync(Session session, TimeSpan giveUpAt, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var timer = _time.DelayUntilAsync(giveUpAt, timeout.Token);
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
    private async Task<DataNetError> RunConnectedAsync(Session session, IWebSocketTransport transport, Run run)
    {
        var interval = _options.HeartbeatInterval;
        // While publishes await confirmation, heartbeats go at least once a second: each one is a barrier (see InFlightLedger).
        var barrierEvery = Min(interval, TimeSpan.FromSeconds(1));
        var link = new LinkLiveness(interval);
        var nextHeartbeat = _time.MonotonicNow() + interval;
        var lastHeartbeat = _time.MonotonicNow();
        Task? refresh = null;
        try
        {
            while (true)
            {
                run.ThrowIfStopped();
                if (session.FatalError is { } fatal)
                {
                    return fatal;
                }

                if (session.Closed.Task.IsCompleted)
                {
                    return Lost(session.Closed.Task.Result);
                }

                var now = _time.MonotonicNow();
                if (link.IsDead(now, session.LastFrame))
                {
                    return DeadLink(now, session);
                }

                while (TryTakeControl(run, out var control))
                {
                    if (await TrySendAsync(transport, session, link, control, run).ConfigureAwait(false) is { } refused)
                    {
                        lock (_gate)
                        {
                            run.ThrowIfStopped();
                            _subscriptions.RequeueControl(control);
                        }

                        return refused;
                    }
                }

                var more = false;
                var paceAt = TimeSpan.MaxValue;
                if (!IsPaused)
                {
                    for (var sent = 0; ; sent++)
                    {
                        if (!TryTakePublish(run, out var envelope, out paceAt))
                        {
                            break;
                        }

                        var refused = await TrySendAsync(transport, session, link, envelope, run).ConfigureAwait(false);
                        lock (_gate)
                        {
                            run.ThrowIfStopped();
                            run.InHand = null;
                            if (refused is not null)
                            {
                                _outbox.Requeue(envelope);
                                Interlocked.Decrement(ref _published);
                                return refused;
                            }

                            session.InFlight.Written(envelope);
                            _pacer.Written(_time.MonotonicNow());
                        }

                        if (sent + 1 >= SendBatch || IsPaused || session.Closed.Task.IsCompleted)
                        {
                            more = !IsPaused && _outbox.Count > 0;
                            break;
                        }
                    }
                }

                now = _time.MonotonicNow();
                if (now >= nextHeartbeat || (session.InFlight.HasUnbarriered && now - lastHeartbeat >= barrierEvery))
                {
                    if (await TrySendAsync(transport, session, link, ClientEnvelopes.Heartbeat, run).ConfigureAwait(false) is { } refused)
                    {
                        return refused;
                    }

                    lock (_gate)
                    {
                        run.ThrowIfStopped();
                        session.InFlight.HeartbeatSent();
                        Interlocked.Increment(ref _heartbeats);
                    }

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
                    refresh = RefreshAsync(run);
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

                // Never a busy loop: at least a millisecond between looks, whatever is due.
                using (_time.Arm(Max(wake, _time.MonotonicNow() + TimeSpan.FromMilliseconds(1)), static r => ((Run)r!).Wake(), run))
                {
                    await run.WakeSignal.WaitAsync(run.Token).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                if (!run.Retired)
                {
                    SettleInFlight(run);
                }
            }

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

    private bool TryTakeControl(Run run, out string control)
    {
        lock (_gate)
        {
            run.ThrowIfStopped();
            return _subscriptions.TryTakeControl(out control);
        }
    }

    /// <summary>The next publish, unless the outbox is empty or the pacer says not yet (then <paramref name="paceAt"/> is when).</summary>
    private bool TryTakePublish(Run run, out string envelope, out TimeSpan paceAt)
    {
        lock (_gate)
        {
            run.ThrowIfStopped();
            envelope = string.Empty;
            paceAt = TimeSpan.MaxValue;
            if (_outbox.Count == 0)
            {
                _pacer.Idle();
                return false;
            }

            if (!_pacer.TryTake(_time.MonotonicNow(), out paceAt) || !_outbox.TryDequeue(out envelope))
            {
                return false;
            }

            // Counted as it leaves the outbox, under the same lock: Queued + Published never misses it, and the gateway's
            // answer (a refusal, read on the receive thread) can never be counted before the publish it refuses.
            run.InHand = envelope;
            Interlocked.Increment(ref _published);
            return true;
        }
    }

    /// <summary>
    /// The connection ended (or Stop retired its loop): publishes written after the last acknowledged heartbeat, and
    /// one whose send had not finished, may be lost. Count them; with <see cref="DataNetOptions.ResendUnconfirmed"/>,
    /// queue them again ahead of everything else, in order. Called under <see cref="_gate"/>.
    /// </summary>
    private void SettleInFlight(Run run)
    {
        if (run.Connected is not { } session)
        {
            return;
        }

        run.Connected = null;
        var unconfirmed = session.InFlight.TakeUnconfirmed(out var kept);
        if (run.InHand is { } inHand)
        {
            run.InHand = null;
            unconfirmed++;
            if (_options.ResendUnconfirmed)
            {
                kept.Add(inHand);
            }
        }

        Interlocked.Add(ref _unconfirmed, unconfirmed);
        if (kept.Count > 0)
        {
            _outbox.RequeueInOrder(kept);
            Interlocked.Add(ref _resent, kept.Count);
        }
    }

    private static DataNetError DeadLink(TimeSpan now, Session session) =>
        Lost($"no frame from the gateway for {Seconds(now - session.LastFrame)} (two heartbeat intervals): dead link");

    private async Task RefreshAsync(Run run)
    {
        try
        {
            await _tokens.FetchAsync(_tokens.Current, run.Token).ConfigureAwait(false);
        }
        catch (DataNetException ex)
        {
            lock (_gate)
            {
                if (run.IsStopped)
                {
                    return;
                }

                Interlocked.Exchange(ref _refreshRetryAtTicks, (_time.MonotonicNow() + TimeSpan.FromSeconds(5)).Ticks);
                // The open socket outlives its token: report, keep the session, and try again a little later.
                _sink.OnError(new DataNetError(ex.Error.Code, "Token refresh failed (the open connection continues): " + ex.Error.Message)
                {
                    Status = ex.Error.Status,
                });
            }
        }
    }

    /// <summary>
    /// Null when the frame went out; otherwise why the session ends: the socket refused it, the link died while the
    /// send was blocked (liveness is checked during the wait), or the send took the whole request timeout.
    /// </summary>
    private async Task<DataNetError?> TrySendAsync(IWebSocketTransport transport, Session session, LinkLiveness link, string text, Run run)
    {
        var stop = run.Token;
        try
        {
            var send = transport.SendAsync(text);
            if (!send.IsCompleted)
            {
                // A silent gateway can stop reading: a blocked send is an unanswered write, and must not hold up the
                // dead-link verdict (or Stop) for the whole request timeout.
                var started = _time.MonotonicNow();
                link.Wrote(started, session.LastFrame);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                while (!send.IsCompleted)
                {
                    var now = _time.MonotonicNow();
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
                    var look = Max(until, now + TimeSpan.FromMilliseconds(1));
                    await Task.WhenAny(send, _time.DelayUntilAsync(look, timeout.Token)).ConfigureAwait(false);
                    run.ThrowIfStopped();
                }

                timeout.Cancel();
            }

            await send.ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (run.IsStopped)
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
        private readonly Run _run;
        private long _lastFrameTicks;
        private volatile DataNetError? _fatal;
        private volatile string? _closeReason;
        private volatile bool _connected;

        public Session(ConnectionSupervisor owner, Run run)
        {
            _owner = owner;
            _run = run;
            InFlight = new InFlightLedger(owner._options.ResendUnconfirmed ? owner._options.OutboxCapacity : 0);
            _lastFrameTicks = owner._time.MonotonicNow().Ticks;
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

        public void OnFrame(ReadOnlySpan<byte> payload, bool isText)
        {
            Interlocked.Exchange(ref _lastFrameTicks, _owner._time.MonotonicNow().Ticks);
            var now = _owner._time.GetUtcNow().ToUnixTimeMilliseconds();
            Handle(isText ? ServerFrameReader.ReadText(payload, now) : ServerFrameReader.ReadBinary(payload, now));
        }

        public void OnFrameTooLarge(long bytes, int limit)
        {
            Interlocked.Exchange(ref _lastFrameTicks, _owner._time.MonotonicNow().Ticks);
            Handle(ServerFrame.TooLarge(string.Format(CultureInfo.InvariantCulture,
                "Ignored a {0:N0}-byte frame from the gateway: larger than the {1:N0}-byte limit (MaxReceiveFrameBytes).", bytes, limit)));
        }

        public void OnClosed(string reason)
        {
            _closeReason = reason;
            Closed.TrySetResult(reason);
            _run.Wake();
        }

        private void Handle(ServerFrame frame)
        {
            lock (_owner._gate)
            {
                // A retired loop's socket can still deliver for a moment: none of it reaches the client any more.
                if (!_run.Retired)
                {
                    HandleLive(frame);
                }
            }
        }

        private void HandleLive(ServerFrame frame)
        {
            switch (frame.Kind)
            {
                case ServerFrameKind.Connected:
                    _connected |= Handshake.TrySetResult(null);
                    break;
                case ServerFrameKind.Message or ServerFrameKind.RawBinary when !_connected:
                    // Nothing is delivered before the handshake: no subscription has been sent on this socket yet.
                    frame = ServerFrame.Ignored("a message before 'connected'");
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
                        _run.Wake();
                        break;
                    }

                    if (error.Code == ErrorCodes.RateLimited)
                    {
                        _owner._pacer.RateLimited(_owner._time.MonotonicNow());
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
            }

            _owner._sink.OnServerFrame(frame);
        }
    }
}
