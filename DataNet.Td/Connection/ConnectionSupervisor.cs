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
    private readonly IClock _clock;
    private readonly Uri _url;
    private readonly PublishPacer _pacer = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly object _lifecycle = new();
    private readonly object _stateGate = new();

    private CancellationTokenSource? _stop;
    private Task? _loop;
    private ConnectionState _state = ConnectionState.Disconnected;
    private string _failure = string.Empty;
    private long _nextAttemptTicks = -1;
    private int _attempt;
    private long _pauseUntilTicks;
    private long _connectAttempts;
    private long _reconnects;
    private long _heartbeats;
    private long _publishesRefused;
    private long _unconfirmed;
    private long _resent;
    private long _refreshRetryAtTicks;
    private bool _disposed;

    public ConnectionSupervisor(DataNetOptions options, TokenProvider tokens, ITransportFactory factory, SubscriptionRegistry subscriptions,
        Outbox outbox, IConnectionSink sink, IClock clock)
    {
        _options = options;
        _tokens = tokens;
        _factory = factory;
        _subscriptions = subscriptions;
        _outbox = outbox;
        _sink = sink;
        _clock = clock;
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

    /// <summary>Publishes the gateway refused after they were sent (see <see cref="DataNetStats.RefusedByGateway"/>).</summary>
    public long PublishesRefused => Interlocked.Read(ref _publishesRefused);

    /// <summary>Publishes possibly lost in flight at a disconnect (see <see cref="DataNetStats.Unconfirmed"/>).</summary>
    public long Unconfirmed => Interlocked.Read(ref _unconfirmed);

    /// <summary>Of those, publishes queued again (see <see cref="DataNetOptions.ResendUnconfirmed"/>).</summary>
    public long Resent => Interlocked.Read(ref _resent);

    /// <summary>True while publishing is paused by <c>rate_limited</c>.</summary>
    public bool IsPaused => _clock.Now.Ticks < Interlocked.Read(ref _pauseUntilTicks);

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
                    var wait = TimeSpan.FromTicks(next - _clock.Now.Ticks);
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
        lock (_lifecycle)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException("DataNetClient");
            }

            if (_loop is { IsCompleted: false })
            {
                return;
            }

            _stop?.Dispose();
            _stop = new CancellationTokenSource();
            var stop = _stop.Token;
            SetState(ConnectionState.Connecting, CancellationToken.None);
            _loop = Task.Run(() => RunAsync(stop));
        }
    }

    /// <summary>Stops the loop, closes the socket, and waits (briefly) until nothing runs any more.</summary>
    public void Stop(string reason)
    {
        Task? loop;
        CancellationTokenSource? stop;
        lock (_lifecycle)
        {
            loop = _loop;
            stop = _stop;
            _loop = null;
            _stop = null;
        }

        if (stop is not null)
        {
            stop.Cancel();
            try
            {
                // The loop awaits everything with the stop token, so it ends within milliseconds.
                loop?.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            stop.Dispose();
        }

        Interlocked.Exchange(ref _nextAttemptTicks, -1);
        if (SetState(ConnectionState.Disconnected, CancellationToken.None) == ConnectionState.Connected)
        {
            _sink.OnDisconnected(reason);
        }
    }

    /// <summary>Something to send (publish, subscribe) or a state change: let the loop look now.</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (ObjectDisposedException)
        {
            // A publish racing Dispose: nothing is listening any more.
        }
    }

    /// <summary>Pauses publishing for <paramref name="retryMs"/> (at most <see cref="GatewayErrors.MaxRetryMs"/>); a new connection ends the pause.</summary>
    public void PauseFor(int retryMs)
    {
        var until = _clock.Now.Ticks + TimeSpan.FromMilliseconds(Math.Min(Math.Max(retryMs, 0), GatewayErrors.MaxRetryMs)).Ticks;
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

    public void Dispose()
    {
        lock (_lifecycle)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        Stop("Disposed");
        _wake.Dispose();
    }

    private ConnectionState SetState(ConnectionState state, CancellationToken stop, string? failure = null)
    {
        ConnectionState previous;
        lock (_stateGate)
        {
            if (stop.IsCancellationRequested)
            {
                return _state;
            }

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

    private async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        var everConnected = false;
        var troubleSince = _clock.Now;
        try
        {
            while (true)
            {
                stop.ThrowIfCancellationRequested();
                Interlocked.Exchange(ref _nextAttemptTicks, -1);
                SetState(everConnected || failures > 0 ? ConnectionState.Reconnecting : ConnectionState.Connecting, stop);

                SessionOutcome outcome;
                try
                {
                    outcome = await RunSessionAsync(everConnected, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    // A bug must not end the chain silently: report it and retry like any failed attempt.
                    outcome = new SessionOutcome(false, new DataNetError(ErrorCodes.ConnectionFailed, "Unexpected error in the connection loop: " + ExceptionText.MessageOf(ex)));
                }

                stop.ThrowIfCancellationRequested();
                everConnected |= outcome.WasConnected;
                if (outcome.Error.IsFatal)
                {
                    Fail(outcome.Error, outcome.WasConnected, stop);
                    return;
                }

                _sink.OnError(outcome.Error);
                if (outcome.WasConnected)
                {
                    _sink.OnDisconnected(outcome.Error.Message);
                    failures = 0;
                    troubleSince = _clock.Now;
                }

                failures++;
                var delay = NextDelay(new RetryContext(failures, _clock.Now - troubleSince, outcome.Error));
                if (delay is not { } wait)
                {
                    var gaveUp = new DataNetError(ErrorCodes.ReconnectFailed,
                        $"Gave up reconnecting after {failures.ToString(CultureInfo.InvariantCulture)} attempt(s); last error: {outcome.Error.Message}")
                    { IsFatal = true };
                    Fail(gaveUp, false, stop);
                    return;
                }

                if (wait < TimeSpan.Zero)
                {
                    wait = TimeSpan.Zero;
                }
                else if (wait > MaxWait)
                {
                    // Task.Delay takes at most int.MaxValue ms; a policy asking for longer waits a day.
                    wait = MaxWait;
                }

                Volatile.Write(ref _attempt, failures);
                Interlocked.Exchange(ref _nextAttemptTicks, (_clock.Now + wait).Ticks);
                SetState(ConnectionState.Reconnecting, stop);
                await Task.Delay(wait, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stop() asked for it; it reports the state itself.
        }
#pragma warning disable CA1031 // Last line of defence: the chain must never end without saying why.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(new DataNetError(ErrorCodes.ConnectionFailed, "The connection loop stopped unexpectedly: " + ExceptionText.MessageOf(ex)) { IsFatal = true }, false, stop);
        }
    }

    /// <summary>Asks the retry policy; a throwing custom policy falls back to the default one, and says so.</summary>
    private TimeSpan? NextDelay(RetryContext context)
    {
        try
        {
            return _options.RetryPolicy.NextRetryDelay(context);
        }
#pragma warning disable CA1031 // User-supplied policy: any failure falls back to the default.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _sink.OnError(new DataNetError(ErrorCodes.ReconnectFailed, "The retry policy threw " + ex.GetType().Name + "; using the default backoff: " + ExceptionText.MessageOf(ex)));
            return ExponentialBackoffRetryPolicy.Default.NextRetryDelay(context);
        }
    }

    private void Fail(DataNetError error, bool wasConnected, CancellationToken stop)
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }

        _sink.OnError(error);
        if (wasConnected)
        {
            _sink.OnDisconnected(error.Message);
        }

        SetState(ConnectionState.Failed, stop, error.Message);
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
