using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Td.Auth;
using DataNet.Td.Protocol;

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
            // A pause asked for by the previous connection's server does not outlive that connection.
            Interlocked.Exchange(ref _pauseUntilTicks, 0);
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

        DataNetError? handshake;
        try
        {
            handshake = await WaitForHandshakeAsync(session, stop).ConfigureAwait(false);
        }
        catch
        {
            transport.Dispose();
            throw;
        }

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
        var deadAfter = interval + interval;
        var nextHeartbeat = _clock.Now + interval;
        TimeSpan? unanswered = null; // when the oldest heartbeat not followed by any frame was sent
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
                var silent = now - session.LastFrame;
                // Dead only when a heartbeat has gone unanswered for a full interval as well: if this loop itself
                // woke late (a stalled machine), the silence is ours, not the link's.
                if (silent >= deadAfter && unanswered is { } sentAt && sentAt > session.LastFrame && now - sentAt >= interval)
                {
                    return Lost($"no frame from the gateway for {Seconds(silent)} (two heartbeat intervals): dead link");
                }

                while (_subscriptions.TryTakeControl(out var control))
                {
                    if (!await TrySendAsync(transport, control, stop).ConfigureAwait(false))
                    {
                        _subscriptions.RequeueControl(control);
                        return Lost(session.CloseReason ?? "the socket refused a frame");
                    }
                }

                var more = false;
                if (!IsPaused)
                {
                    for (var sent = 0; _outbox.TryDequeue(out var envelope); sent++)
                    {
                        if (!await TrySendAsync(transport, envelope, stop).ConfigureAwait(false))
                        {
                            _outbox.Requeue(envelope);
                            return Lost(session.CloseReason ?? "the socket refused a frame");
                        }

                        _sink.OnPublished();
                        if (sent + 1 >= SendBatch || IsPaused || session.Closed.Task.IsCompleted)
                        {
                            more = !IsPaused && _outbox.Count > 0;
                            break;
                        }
                    }
                }

                now = _clock.Now;
                if (now >= nextHeartbeat)
                {
                    if (!await TrySendAsync(transport, ClientEnvelopes.Heartbeat, stop).ConfigureAwait(false))
                    {
                        return Lost(session.CloseReason ?? "the heartbeat could not be sent");
                    }

                    Interlocked.Increment(ref _heartbeats);
                    if (unanswered is not { } pending || pending <= session.LastFrame)
                    {
                        unanswered = now;
                    }

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

                // The dead-link check can only fire while a heartbeat is outstanding; otherwise the next one is due first.
                var wake = nextHeartbeat;
                if (unanswered is { } hb && hb > session.LastFrame)
                {
                    wake = Min(wake, Max(session.LastFrame + deadAfter, hb + interval));
                }

                if (IsPaused && _outbox.Count > 0)
                {
                    wake = Min(wake, TimeSpan.FromTicks(Interlocked.Read(ref _pauseUntilTicks)));
                }

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

    /// <summary>False when the frame did not go out: the socket refused it, it timed out, or Stop was asked meanwhile.</summary>
    private async Task<bool> TrySendAsync(IWebSocketTransport transport, string text, CancellationToken stop)
    {
        try
        {
            var send = transport.SendAsync(text);
            if (!send.IsCompleted)
            {
                // A silent gateway can stop reading: never let one send block the dead-link check, or Stop, for long.
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                var timer = Task.Delay(_options.RequestTimeout, timeout.Token);
                if (await Task.WhenAny(send, timer).ConfigureAwait(false) == timer)
                {
                    return false;
                }

                timeout.Cancel();
            }

            await send.ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // Any send failure means the same thing: this socket is done.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
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
            _lastFrameTicks = owner._clock.Now.Ticks;
        }

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
