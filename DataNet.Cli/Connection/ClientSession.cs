using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Options;
using DataNet.Td;

namespace DataNet.Cli.Connection;

/// <summary>
/// One <see cref="DataNetClient"/> driven the way TouchDesigner drives it: <c>Poll()</c> once per frame on
/// the caller's flow, never concurrently. Errors raised inside Poll that no waiting could fix end the
/// command as a <see cref="Hosting.CliException"/> with one plain line.
/// </summary>
internal sealed class ClientSession : IDisposable
{
    /// <summary>TouchDesigner's default cook rate: the pace every loop here polls at.</summary>
    public static readonly TimeSpan Frame = TimeSpan.FromSeconds(1.0 / 60);

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ConnectPollInterval = TimeSpan.FromMilliseconds(1);

    private readonly FirstConnectRetryPolicy _retry;
    private readonly bool _rateLimitEnds;
    private DataNetError? _endingError;
    private DataNetError? _connectError;

    /// <param name="settings">Where and as whom to connect.</param>
    /// <param name="rateLimitEnds">
    /// True (default): a <c>rate_limited</c> ends the command (exit 5). False: the client's own pause and pacing handle
    /// it and the command goes on (replay, which counts what the gateway refused).
    /// </param>
    public ClientSession(ConnectionSettings settings, bool rateLimitEnds = true)
    {
        Settings = settings;
        _rateLimitEnds = rateLimitEnds;
        _retry = new FirstConnectRetryPolicy(settings.Wait);
        Client = new DataNetClient(settings.ToClientOptions() with { RetryPolicy = _retry });
        Client.Error += OnError;
    }

    public ConnectionSettings Settings { get; }

    public DataNetClient Client { get; }

    /// <summary>
    /// Connects, polling at frame rate, until connected. The first failed attempt ends the command (a refused
    /// connection in milliseconds, not after the timeout) unless <see cref="ConnectionSettings.Wait"/> asks to
    /// keep retrying until <paramref name="timeout"/>.
    /// </summary>
    public async Task ConnectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Client.Connect();
        while (Client.State != ConnectionState.Connected)
        {
            Poll();
            if (Client.State == ConnectionState.Failed)
            {
                throw _connectError is null
                    ? FailureMessages.Unreachable(Settings, Client.Status)
                    : FailureMessages.FromConnectError(_connectError, Settings);
            }

            if (clock.Elapsed > timeout)
            {
                throw _connectError is null
                    ? FailureMessages.Unreachable(Settings, Client.Status)
                    : FailureMessages.FromConnectError(_connectError, Settings);
            }

            // A short sleep, not a whole frame: the handshake's steps each finish in well under a millisecond on loopback.
            await Task.Delay(ConnectPollInterval, cancellationToken);
        }

        _retry.MarkConnected();
    }

    /// <summary>One frame: drain the inbox (handlers and events run here), then stop on an ending error.</summary>
    public PollResult Poll()
    {
        var result = Client.Poll();
        ThrowIfEnded();
        return result;
    }

    /// <summary>Polls at frame rate until <paramref name="done"/> holds, the deadline passes, or cancellation.</summary>
    /// <returns>True when the condition held; false on timeout.</returns>
    public async Task<bool> PollUntilAsync(Func<bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Poll();
            if (done())
            {
                return true;
            }

            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(Frame, cancellationToken);
        }
    }

    /// <summary>Polls at frame rate until cancelled (Ctrl-C) or <paramref name="done"/> holds.</summary>
    public async Task PollUntilCancelledAsync(Func<bool> done, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Frame);
        try
        {
            while (!done() && await timer.WaitForNextTickAsync(cancellationToken))
            {
                Poll();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how these commands end: not an error.
        }
    }

    /// <summary>Subscribes <paramref name="handler"/> to JSON and binary messages alike (separate handlers in the SDK) on every channel.</summary>
    public void SubscribeAll(string[] channels, Action<DataNetMessage> handler)
    {
        foreach (var channel in channels)
        {
            Client.Subscribe(channel, handler);
            Client.SubscribeBinary(channel, handler);
        }
    }

    /// <summary>
    /// Waits for the gateway's <c>sub_ack</c> on every channel: a message published before the server has a
    /// subscription would be missed.
    /// </summary>
    public async Task WaitForSubscriptionsAsync(string[] channels, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var acknowledged = await PollUntilAsync(
            () => Array.TrueForAll(channels, channel => Client.GetOccupancy(channel) >= 0),
            timeout,
            cancellationToken);
        if (!acknowledged)
        {
            throw FailureMessages.Unreachable(Settings, "the gateway did not acknowledge the subscription");
        }
    }

    public void ThrowIfEnded()
    {
        if (_endingError is { } error)
        {
            throw FailureMessages.FromError(error, Settings);
        }
    }

    public void Dispose()
    {
        Client.Error -= OnError;
        Client.Dispose();
    }

    private void OnError(DataNetError error)
    {
        // "Gave up reconnecting" only wraps the attempt's own error, which says more.
        if (error.Code != ErrorCodes.ReconnectFailed)
        {
            _connectError = error;
        }

        if (FailureMessages.EndsCommand(error) && error.Code != ErrorCodes.ReconnectFailed
            && (_rateLimitEnds || error.Code != ErrorCodes.RateLimited))
        {
            _endingError ??= error;
        }
    }
}
