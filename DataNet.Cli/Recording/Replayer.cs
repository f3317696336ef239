using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Connection;
using DataNet.Cli.Pub;
using DataNet.Td;

namespace DataNet.Cli.Recording;

/// <summary>What a replay did, in counts that add up: <c>Published + NotPlayed == scheduled</c> for a finite replay.</summary>
internal sealed record ReplayResult(
    long Published,
    long RefusedByGateway,
    long Unconfirmed,
    long RateLimitPauses,
    long Passes,
    TimeSpan Elapsed,
    TimeSpan MeanLateness,
    TimeSpan MaxLateness,
    bool Stopped);

/// <summary>
/// Plays a <see cref="ReplaySchedule"/> through a connected session: waits for each message's absolute deadline on a
/// monotonic clock (polling the client at least once a frame meanwhile), publishes it on its mapped channel, and waits
/// for the socket when the connection is slower than the recording (back-pressure, never loss). A <c>rate_limited</c>
/// from the gateway pauses publishing inside the client, which then paces the queued messages; it is counted, not fatal.
/// </summary>
internal sealed class Replayer(ClientSession session, RecordingContent recording, ReplaySchedule schedule, ChannelMap map, TimeSpan timeout)
{
    private readonly Stopwatch _clock = new();
    private long _rateLimitPauses;
    private long _lateCount;
    private TimeSpan _lateSum;
    private TimeSpan _lateMax;
    private long _pass;

    /// <summary>After each publish: the message's turn and how late it went, measured against its deadline.</summary>
    public Action<ScheduledMessage, TimeSpan>? Published { get; init; }

    /// <summary>Each <c>rate_limited</c> the gateway sent, as it is polled.</summary>
    public Action<DataNetError>? RateLimited { get; init; }

    /// <summary>Called about once a frame while waiting, with the replay's progress so far.</summary>
    public Action<ReplayProgress>? Progress { get; init; }

    public async Task<ReplayResult> RunAsync(CancellationToken cancellationToken)
    {
        var publisher = new Publisher(session, string.Empty); // every send below names its channel
        var before = session.Client.Stats;
        var stopped = false;
        session.Client.Error += OnError;
        try
        {
            try
            {
                await PlayAsync(publisher, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                stopped = true; // Ctrl-C: what was queued is still flushed below.
            }

            await publisher.FlushAsync(timeout);
        }
        finally
        {
            session.Client.Error -= OnError;
        }

        var after = session.Client.Stats;
        return new ReplayResult(
            publisher.Sent,
            after.RefusedByGateway - before.RefusedByGateway,
            after.Unconfirmed - before.Unconfirmed,
            Interlocked.Read(ref _rateLimitPauses),
            publisher.Sent == 0 ? 0 : _pass + 1,
            _clock.Elapsed,
            _lateCount == 0 ? TimeSpan.Zero : _lateSum / _lateCount,
            _lateMax,
            stopped);
    }

    private async Task PlayAsync(Publisher publisher, CancellationToken cancellationToken)
    {
        _clock.Start();
        var lastPoll = -ClientSession.Frame; // poll at once
        foreach (var turn in schedule.Messages())
        {
            _pass = turn.Pass;
            while (true)
            {
                var now = _clock.Elapsed;
                if (now - lastPoll >= ClientSession.Frame)
                {
                    session.Poll();
                    Progress?.Invoke(new ReplayProgress(publisher.Sent, turn.Pass, now, _lateMax));
                    lastPoll = now;
                }

                var wait = turn.Due - now;
                if (wait <= TimeSpan.Zero)
                {
                    break;
                }

                if (wait < TimeSpan.FromMilliseconds(1))
                {
                    // The timer cannot wait under a millisecond: yield until due instead of oversleeping.
                    await Task.Yield();
                    cancellationToken.ThrowIfCancellationRequested();
                }
                else
                {
                    await Task.Delay(wait < ClientSession.Frame ? wait : ClientSession.Frame, cancellationToken);
                }
            }

            await publisher.WaitForRoomAsync(timeout, cancellationToken);
            var message = recording.Messages[turn.Index];
            var lateness = _clock.Elapsed - turn.Due;
            publisher.Send(message, map.Map(message.Channel));
            Account(lateness);
            Published?.Invoke(turn, lateness);
        }
    }

    private void Account(TimeSpan lateness)
    {
        var late = lateness > TimeSpan.Zero ? lateness : TimeSpan.Zero;
        _lateCount++;
        _lateSum += late;
        if (late > _lateMax)
        {
            _lateMax = late;
        }
    }

    private void OnError(DataNetError error)
    {
        if (error.Code == ErrorCodes.RateLimited)
        {
            Interlocked.Increment(ref _rateLimitPauses);
            RateLimited?.Invoke(error);
        }
    }
}

/// <summary>A replay so far: messages published, the current pass (0-based), time since the start, the worst lateness.</summary>
internal readonly record struct ReplayProgress(long Published, long Pass, TimeSpan Elapsed, TimeSpan MaxLateness);
