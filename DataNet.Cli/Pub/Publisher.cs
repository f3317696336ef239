using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Connection;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Pub;

/// <summary>
/// Sends on one channel through a connected session, polling at frame rate in between so that server
/// errors (rate limited, channel not allowed) end the command as they arrive, then waits until every
/// queued message has left.
/// </summary>
internal sealed class Publisher
{
    /// <summary>
    /// How long to keep listening after the last send for the server to refuse it: a refusal from a gateway on
    /// this machine arrives within microseconds, one from the cloud takes a network round trip or two.
    /// </summary>
    private static readonly TimeSpan SettleRemote = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan SettleLoopback = TimeSpan.FromMilliseconds(30);

    /// <summary>Queued messages above which paced sends wait: well under the SDK's default outbox of 1,000.</summary>
    private const int Backlog = 500;

    private readonly ClientSession _session;
    private readonly string _channel;
    private readonly long _publishedBefore;
    private readonly long _droppedBefore;

    public Publisher(ClientSession session, string channel)
    {
        _session = session;
        _channel = channel;
        var stats = session.Client.Stats;
        _publishedBefore = stats.Published;
        _droppedBefore = stats.DroppedOutboxOverflow;
    }

    /// <summary>Messages handed to the client.</summary>
    public long Sent { get; private set; }

    /// <summary>
    /// Queues one message. A message too big to send is a <see cref="CliException"/> (exit 2); the outbox never
    /// overflows because every caller waits for room first (<see cref="WaitForRoomAsync"/>).
    /// </summary>
    public void Send(IPayload payload) => Send(payload, _channel);

    /// <summary>Queues one message on <paramref name="channel"/> (replay publishes on many); as <see cref="Send(IPayload)"/>.</summary>
    public void Send(IPayload payload, string channel)
    {
        bool accepted;
        try
        {
            accepted = payload.Publish(_session.Client, channel, Sent);
        }
        catch (ArgumentException e)
        {
            // The client refuses an envelope over MaxMessageBytes (the gateway would close the socket for it).
            throw new CliException($"not sent: {e.Message.TrimEnd('.')}", ExitCodes.Usage);
        }

        if (!accepted)
        {
            throw new CliException("the outbox is full: the connection cannot keep up; lower --rate", ExitCodes.Failure);
        }

        Sent++;
    }

    /// <summary>
    /// Back-pressure: while the outbox holds <see cref="Backlog"/> messages, polls until the socket has taken
    /// half of them, so that input faster than the connection (a pipe, a high --rate) waits instead of being dropped.
    /// </summary>
    public async Task WaitForRoomAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_session.Client.Stats.Queued < Backlog)
        {
            return;
        }

        var drained = await _session.PollUntilAsync(() => _session.Client.Stats.Queued < Backlog / 2, timeout, cancellationToken);
        if (!drained)
        {
            throw FailureMessages.Unreachable(_session.Settings, $"sending stalled; {_session.Client.Status}");
        }
    }

    /// <summary>Sends <paramref name="count"/> messages (null: until Ctrl-C) at <paramref name="rateHz"/>, or slower when the connection cannot keep up.</summary>
    public async Task RunAsync(IPayload payload, double rateHz, long? count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var frames = new PeriodicTimer(ClientSession.Frame);
        try
        {
            while (count is null || Sent < count)
            {
                _session.Poll();
                var due = (long)Math.Floor(clock.Elapsed.TotalSeconds * rateHz) + 1;
                while (Sent < due && (count is null || Sent < count))
                {
                    await WaitForRoomAsync(timeout, cancellationToken);
                    Send(payload);
                }

                if (count is not null && Sent >= count)
                {
                    break;
                }

                await frames.WaitForNextTickAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C ends a stream: what was queued is still flushed below.
        }
    }

    /// <summary>
    /// Waits until everything queued has been sent and the gateway has confirmed it (the answer to a heartbeat sent
    /// after the last publish, within about a second), then briefly for a refusal from the server. Disposing the
    /// client sooner closes the socket under messages the gateway has not read yet, and a socket closed that way can
    /// take them with it: a 5000-message stream lost its last hundred on a busy machine.
    /// </summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        var flushed = await _session.PollUntilAsync(
            () =>
            {
                var stats = _session.Client.Stats;
                return stats.Queued == 0 && stats.Published - _publishedBefore >= Sent && stats.AwaitingConfirmation == 0;
            },
            timeout,
            CancellationToken.None);
        if (!flushed)
        {
            var stats = _session.Client.Stats;
            throw FailureMessages.Unreachable(
                _session.Settings,
                string.Create(CultureInfo.InvariantCulture, $"{stats.Queued} message(s) still queued after {timeout.TotalSeconds:0} s; {_session.Client.Status}"));
        }

        await _session.PollUntilAsync(() => false, _session.Settings.IsLoopback ? SettleLoopback : SettleRemote, CancellationToken.None);

        var dropped = _session.Client.Stats.DroppedOutboxOverflow - _droppedBefore;
        if (dropped > 0)
        {
            throw new CliException(
                string.Create(CultureInfo.InvariantCulture, $"{dropped} of {Sent} messages were dropped: the connection could not keep up; lower --rate"),
                ExitCodes.Failure);
        }
    }
}
