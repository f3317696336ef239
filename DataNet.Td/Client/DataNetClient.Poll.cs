using System;
using System.Globalization;
using DataNet.Td.Queues;

namespace DataNet.Td;

public sealed partial class DataNetClient
{
    private readonly object _pollGate = new();
    private bool _polling;
    private long _handlerErrors;

    /// <summary>Raised inside Poll when the gateway sent <c>connected</c> (after every reconnect too).</summary>
    public event Action? Connected;

    /// <summary>Raised inside Poll when a connection that was up ended; the reason is plain words.</summary>
    public event Action<string>? Disconnected;

    /// <summary>Raised inside Poll on every state change: (state, previous).</summary>
    public event Action<ConnectionState, ConnectionState>? StateChanged;

    /// <summary>Raised inside Poll for every error: gateway errors, failed attempts, malformed frames, throwing handlers.</summary>
    public event Action<DataNetError>? Error;

    /// <summary>Raised inside Poll with the result of <see cref="GetPresence"/>.</summary>
    public event Action<PresenceResult>? PresenceReceived;

    /// <summary>Raised inside Poll for every dispatched message, JSON and binary, after its handlers.</summary>
    public event Action<DataNetMessage>? MessageReceived;

    /// <summary>
    /// On the calling thread: drains the inbox within <see cref="DataNetOptions.PollMaxItems"/> and
    /// <see cref="DataNetOptions.PollMaxTime"/>, runs handlers, raises events, adds rows (<see cref="LastValues"/> is
    /// already up to date: it is filled as messages arrive).
    /// A throwing handler is caught, counted and reported as a <c>handler_failed</c> error; the rest carries on.
    /// Call once per frame. A call from inside a handler returns at once.
    /// </summary>
    public PollResult Poll() => Poll(_options.PollMaxItems);

    /// <summary>Like <see cref="Poll()"/> with a different message budget.</summary>
    /// <param name="maxItems">Most messages to dispatch in this call.</param>
    public PollResult Poll(int maxItems)
    {
        if (IsDisposed)
        {
            return default;
        }

        lock (_pollGate)
        {
            if (_polling)
            {
                return default;
            }

            _polling = true;
            try
            {
                return Drain(maxItems);
            }
            finally
            {
                _polling = false;
            }
        }
    }

    /// <summary>Takes up to <paramref name="maxRows"/> received rows (oldest first) for a Table DAT, in one call.</summary>
    /// <param name="maxRows">Most rows to take.</param>
    public RowBatch TakeRows(int maxRows) => _rows.Take(maxRows);

    /// <summary>
    /// Takes the newest <paramref name="maxRows"/> received rows (oldest first); older waiting rows are dropped without
    /// being formatted and counted in <see cref="RowBatch.Dropped"/> and <see cref="DataNetStats.DroppedRows"/>. For a
    /// table clamped to <paramref name="maxRows"/>, which would only delete them again.
    /// </summary>
    /// <param name="maxRows">Rows the table keeps.</param>
    public RowBatch TakeNewestRows(int maxRows) => _rows.TakeNewest(maxRows);

    private PollResult Drain(int maxItems)
    {
        var started = _time.GetTimestamp();
        var messages = 0;
        var events = 0;
        var errors = 0;
        while (messages < maxItems && _inbox.TryDequeue(out var item))
        {
            if (item is DataNetMessage message)
            {
                messages++;
                Dispatch(message, ref events, ref errors);
            }
            else
            {
                events += Raise((ClientEvent)item!, ref errors);
            }

            if (_time.GetElapsedTime(started) >= _options.PollMaxTime)
            {
                break;
            }
        }

        return new PollResult(messages, events, errors, _inbox.MessageCount);
    }

    private void Dispatch(DataNetMessage message, ref int events, ref int errors)
    {
        var subscriptions = _subscriptions.Get(message.Channel);
        if (subscriptions.Length == 0)
        {
            // Unsubscribed after it arrived: nothing listens any more.
            return;
        }

        _rows.Add(message);
        foreach (var subscription in subscriptions)
        {
            if (subscription.Handler is { } handler && subscription.Binary == message.IsBinary)
            {
                try
                {
                    handler(message);
                }
#pragma warning disable CA1031 // Isolating user code is the point: report it and carry on.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    HandlerFailed(ex, "handler for " + message.Channel, message.Channel, ref events, ref errors);
                }
            }
        }

        if (MessageReceived is { } received)
        {
            foreach (var single in received.GetInvocationList())
            {
                try
                {
                    ((Action<DataNetMessage>)single)(message);
                }
#pragma warning disable CA1031 // Isolating user code.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    HandlerFailed(ex, "MessageReceived handler", message.Channel, ref events, ref errors);
                }
            }
        }
    }

    private int Raise(ClientEvent clientEvent, ref int errors)
    {
        switch (clientEvent.Kind)
        {
            case ClientEventKind.Connected:
                Invoke(Connected, d => ((Action)d)(), "Connected", ref errors);
                return 1;
            case ClientEventKind.Disconnected:
                Invoke(Disconnected, d => ((Action<string>)d)(clientEvent.Text!), "Disconnected", ref errors);
                return 1;
            case ClientEventKind.StateChanged:
                Invoke(StateChanged, d => ((Action<ConnectionState, ConnectionState>)d)(clientEvent.State, clientEvent.Previous), "StateChanged", ref errors);
                return 1;
            case ClientEventKind.Error:
                Invoke(Error, d => ((Action<DataNetError>)d)(clientEvent.Error!), "Error", ref errors, reportFailure: false);
                return 1;
            case ClientEventKind.Presence:
                Invoke(PresenceReceived, d => ((Action<PresenceResult>)d)(clientEvent.Presence!), "PresenceReceived", ref errors);
                return 1;
            case ClientEventKind.ChannelRemoved:
                // Re-subscribed meanwhile? Then its values stay.
                if (!_subscriptions.Contains(clientEvent.Text!))
                {
                    LastValues.Remove(clientEvent.Text!);
                }

                return 0;
            default:
                return 0;
        }
    }

    private void Invoke(Delegate? handlers, Action<Delegate> call, string name, ref int errors, bool reportFailure = true)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var single in handlers.GetInvocationList())
        {
            try
            {
                call(single);
            }
#pragma warning disable CA1031 // Isolating user code.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var ignoredEvents = 0;
                if (reportFailure)
                {
                    HandlerFailed(ex, name + " handler", null, ref ignoredEvents, ref errors);
                }
                else
                {
                    // An Error handler that throws is counted but not re-reported: that would loop.
                    errors++;
                    System.Threading.Interlocked.Increment(ref _handlerErrors);
                }
            }
        }
    }

    private void HandlerFailed(Exception ex, string where, string? channel, ref int events, ref int errors)
    {
        errors++;
        System.Threading.Interlocked.Increment(ref _handlerErrors);
        var error = Scrub(new DataNetError(ErrorCodes.HandlerFailed,
            string.Format(CultureInfo.InvariantCulture, "A {0} threw {1}: {2}", where, ex.GetType().Name, ExceptionText.MessageOf(ex))) { Channel = channel });
        System.Threading.Volatile.Write(ref _lastError, error.ToString());
        events++;
        Invoke(Error, d => ((Action<DataNetError>)d)(error), "Error", ref errors, reportFailure: false);
    }
}
