using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Td.Auth;
using DataNet.Td.Protocol;
using DataNet.Td.Queues;
using DataNet.Td.Subscriptions;

namespace DataNet.Td.Connection;

/// <summary>
/// The one background loop that owns the connection: auth, open, wait for <c>connected</c> (a pre-handshake error
/// fails the attempt; a fatal one stops everything), resubscribe, flush the outbox in order, heartbeat, dead-link
/// detection, token refresh ahead of expiry, and reconnect through the retry policy. Every way out of an attempt is
/// reported; the loop itself only ends on Stop, a fatal error, or the retry policy giving up, and says so.
/// </summary>
internal sealed partial class ConnectionSupervisor : IDisposable
{
    private const int SendBatch = 256;
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private readonly DataNetOptions _options;
    private readonly TokenProvider _tokens;
    private readonly ITransportFactory _factory;
    private readonly SubscriptionRegistry _subscriptions;
    private readonly Outbox _outbox;
    private readonly IConnectionSink _sink;
    private readonly TimeProvider _time;
    private readonly Uri _url;
    private readonly PublishPacer _pacer = new();

    /// <summary>Held for every touch of shared state by a loop, and by Start and Stop (see <see cref="Run"/>).</summary>
    private readonly object _gate = new();
    private readonly object _stateGate = new();

    private Run? _run;
    private ConnectionState _state = ConnectionState.Disconnected;
    private string _failure = string.Empty;
    private long _nextAttemptTicks = -1;
    private int _attempt;
    private long _pauseUntilTicks;
    private long _connectAttempts;
    private long _reconnects;
    private long _heartbeats;
    private long _published;
    private long _publishesRefused;
    private long _unconfirmed;
    private long _resent;
    private long _refreshRetryAtTicks;
    private bool _disposed;

    public ConnectionSupervisor(DataNetOptions options, TokenProvider tokens, ITransportFactory factory, SubscriptionRegistry subscriptions,
        Outbox outbox, IConnectionSink sink, TimeProvider time)
    {
        _options = options;
        _tokens = tokens;
        _factory = factory;
        _subscriptions = subscriptions;
        _outbox = outbox;
        _sink = sink;
        _time = time;
        _url = WsUrlNormalizer.Normalize(options.WsUrl);
    }

    public ConnectionState State
    {
        get
        {
            lock (_stateGate)
            {
                return _state;
            }
        }
    }

    public long ConnectAttempts => Interlocked.Read(ref _connectAttempts);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long HeartbeatsSent => Interlocked.Read(ref _heartbeats);

    /// <summary>Publishes handed to the socket (see <see cref="DataNetStats.Published"/>).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Publishes the gateway refused after they were sent (see <see cref="DataNetStats.RefusedByGateway"/>).</summary>
    public long PublishesRefused => Interlocked.Read(ref _publishesRefused);

    /// <summary>Publishes of the live connection not yet confirmed (see <see cref="DataNetStats.AwaitingConfirmation"/>).</summary>
    public long AwaitingConfirmation
    {
        get
        {
            lock (_gate)
            {
                return _run is { Connected: { } session } run ? session.InFlight.Unacknowledged + (run.InHand is null ? 0 : 1) : 0;
            }
        }
    }

    /// <summary>Publishes possibly lost in flight at a disconnect (see <see cref="DataNetStats.Unconfirmed"/>).</summary>
    public long Unconfirmed => Interlocked.Read(ref _unconfirmed);

    /// <summary>Of those, publishes queued again (see <see cref="DataNetOptions.ResendUnconfirmed"/>).</summary>
    public long Resent => Interlocked.Read(ref _resent);

    /// <summary>True while publishing is paused by <c>rate_limited</c>.</summary>
    public bool IsPaused => _time.MonotonicNow().Ticks < Interlocked.Read(ref _pauseUntilTicks);

    public string Status
    {
        get
        {
            ConnectionState state;
            string failure;
            lock (_stateGate)
            {
                state = _state;
                failure = _failure;
            }

            switch (state)
            {
                case ConnectionState.Connected:
                    return IsPaused ? "Connected (rate limited: publishing paused)" : "Connected";
                case ConnectionState.Connecting:
                    return "Connecting";
                case ConnectionState.Reconnecting:
                    var attempt = Volatile.Read(ref _attempt).ToString(CultureInfo.InvariantCulture);
                    var next = Interlocked.Read(ref _nextAttemptTicks);
                    var wait = TimeSpan.FromTicks(next - _time.MonotonicNow().Ticks);
                    return next >= 0 && wait > TimeSpan.Zero
                        ? $"Reconnecting in {Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s (attempt {attempt})"
                        : $"Reconnecting (attempt {attempt})";
                case ConnectionState.Failed:
                    return "Error: " + failure;
                default:
                    return "Disconnected";
            }
        }
    }

    /// <summary>Starts the loop unless it is running. Never blocks.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException("DataNetClient");
            }

            if (_run?.Loop is { IsCompleted: false })
            {
                return;
            }

            var run = new Run();
            _run = run;
            SetState(ConnectionState.Connecting, null);
            run.Loop = Task.Run(() => RunAsync(run));
            // Disposed only after the loop ended: a loop that Stop left winding down still awaits both.
            _ = run.Loop.ContinueWith(static (_, r) => ((Run)r!).Dispose(), run, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Stops the loop and returns at once, on any thread (TD's main thread included): the loop is retired, so nothing
    /// it does reaches the state, the sink or the queues any more, and winds down in the background (its socket
    /// aborted). Publishes it had in flight are settled here, as a disconnect settles them.
    /// </summary>
    public void Stop(string reason)
    {
        Run? run;
        lock (_gate)
        {
            run = _run;
            _run = null;
            if (run is not null)
            {
                run.Retire();
                SettleInFlight(run);
            }

            Interlocked.Exchange(ref _nextAttemptTicks, -1);
            if (SetState(ConnectionState.Disconnected, null) == ConnectionState.Connected)
            {
                _sink.OnDisconnected(reason);
            }
        }

        if (run is not null)
        {
            run.AbortSocket();
            // Cancelling runs the loop's continuations inline: off TD's thread, they only wind the retired loop down.
            ThreadPool.QueueUserWorkItem(static r => ((Run)r!).WindDown(), run);
        }
    }

    /// <summary>Something to send (publish, subscribe) or a state change: let the loop look now.</summary>
    public void Wake() => Volatile.Read(ref _run)?.Wake();

    /// <summary>Pauses publishing for <paramref name="retryMs"/> (at most <see cref="GatewayErrors.MaxRetryMs"/>); a new connection ends the pause.</summary>
    public void PauseFor(int retryMs)
    {
        var until = _time.MonotonicNow().Ticks + TimeSpan.FromMilliseconds(Math.Min(Math.Max(retryMs, 0), GatewayErrors.MaxRetryMs)).Ticks;
        long current;
        do
        {
            current = Interlocked.Read(ref _pauseUntilTicks);
            if (current >= until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _pauseUntilTicks, until, current) != current);
        Wake();
    }

    /// <summary>Stops (see <see cref="Stop"/>): never blocks, and nothing reaches the sink after it returned.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        Stop("Disposed");
    }

    /// <summary>
    /// Changes the state and tells the sink, unless <paramref name="run"/> is retired; null for Start and Stop.
    /// Called under <see cref="_gate"/> (taken here for a loop).
    /// </summary>
    private ConnectionState SetState(ConnectionState state, Run? run, string? failure = null)
    {
        lock (_gate)
        {
            if (run is not null && run.IsStopped)
            {
                return State;
            }

            ConnectionState previous;
            lock (_stateGate)
            {
                previous = _state;
                if (failure is not null)
                {
                    _failure = failure;
                }

                if (previous == state)
                {
                    return previous;
                }

                _state = state;
            }

            _sink.OnStateChanged(state, previous);
            return previous;
        }
    }

    private async Task RunAsync(Run run)
    {
        var failures = 0;
        var everConnected = false;
        var troubleSince = _time.MonotonicNow();
        try
        {
            while (true)
            {
                run.ThrowIfStopped();
                Interlocked.Exchange(ref _nextAttemptTicks, -1);
                SetState(everConnected || failures > 0 ? ConnectionState.Reconnecting : ConnectionState.Connecting, run);

                SessionOutcome outcome;
                try
                {
                    outcome = await RunSessionAsync(everConnected, run).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !run.IsStopped)
                {
                    // A bug must not end the chain silently: report it and retry like any failed attempt.
                    outcome = new SessionOutcome(false, new DataNetError(ErrorCodes.ConnectionFailed, "Unexpected error in the connection loop: " + ExceptionText.MessageOf(ex)));
                }

                everConnected |= outcome.WasConnected;
                if (outcome.Error.IsFatal)
                {
                    Fail(outcome.Error, outcome.WasConnected, run);
                    return;
                }

                lock (_gate)
                {
                    run.ThrowIfStopped();
                    _sink.OnError(outcome.Error);
                    if (outcome.WasConnected)
                    {
                        _sink.OnDisconnected(outcome.Error.Message);
                    }
                }

                if (outcome.WasConnected)
                {
                    failures = 0;
                    troubleSince = _time.MonotonicNow();
                }

                failures++;
                var delay = NextDelay(new RetryContext(failures, _time.MonotonicNow() - troubleSince, outcome.Error), run);
                if (delay is not { } wait)
                {
                    var gaveUp = new DataNetError(ErrorCodes.ReconnectFailed,
                        $"Gave up reconnecting after {failures.ToString(CultureInfo.InvariantCulture)} attempt(s); last error: {outcome.Error.Message}")
                    { IsFatal = true };
                    Fail(gaveUp, false, run);
                    return;
                }

                // A policy asking for longer than a day waits a day: the status line and the timers stay meaningful.
                var retryAt = _time.MonotonicNow() + Max(TimeSpan.Zero, Min(wait, MaxWait));
                lock (_gate)
                {
                    run.ThrowIfStopped();
                    Volatile.Write(ref _attempt, failures);
                    Interlocked.Exchange(ref _nextAttemptTicks, retryAt.Ticks);
                    SetState(ConnectionState.Reconnecting, run);
                }

                await _time.DelayUntilAsync(retryAt, run.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (run.IsStopped)
        {
            // Stop() asked for it; it reports the state itself.
        }
#pragma warning disable CA1031 // Last line of defence: the chain must never end without saying why.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(new DataNetError(ErrorCodes.ConnectionFailed, "The connection loop stopped unexpectedly: " + ExceptionText.MessageOf(ex)) { IsFatal = true }, false, run);
        }
    }

    /// <summary>Asks the retry policy; a throwing custom policy falls back to the default one, and says so.</summary>
    private TimeSpan? NextDelay(RetryContext context, Run run)
    {
        try
        {
            return _options.RetryPolicy.NextRetryDelay(context);
        }
#pragma warning disable CA1031 // User-supplied policy: any failure falls back to the default.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_gate)
            {
                run.ThrowIfStopped();
                _sink.OnError(new DataNetError(ErrorCodes.ReconnectFailed, "The retry policy threw " + ex.GetType().Name + "; using the default backoff: " + ExceptionText.MessageOf(ex)));
            }

            return ExponentialBackoffRetryPolicy.Default.NextRetryDelay(context);
        }
    }

    private void Fail(DataNetError error, bool wasConnected, Run run)
    {
        lock (_gate)
        {
            if (run.IsStopped)
            {
                return;
            }

            _sink.OnError(error);
            if (wasConnected)
            {
                _sink.OnDisconnected(error.Message);
            }

            SetState(ConnectionState.Failed, run, error.Message);
        }
    }

    private sealed class SessionOutcome
    {
        public SessionOutcome(bool wasConnected, DataNetError error)
        {
            WasConnected = wasConnected;
            Error = error;
        }

        public bool WasConnected { get; }

        public DataNetError Error { get; }
    }
}
