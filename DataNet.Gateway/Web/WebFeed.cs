using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace DataNet.Gateway.Web;

/// <summary>
/// The page's live feed (<c>GET /web/api/events</c>): one sampling loop for all browsers. Every
/// 1/<see cref="SamplesPerSecond"/> s it sends each browser the newest message of the channel it plots, when there
/// is a new one (so a channel publishing 10,000 messages a second costs the page 20 samples); once a second it
/// updates the rates and sends every browser a snapshot. Events go to each browser's bounded queue
/// (<see cref="FeedSubscriber"/>): publishing never waits for the page, and a slow browser only loses events.
/// </summary>
internal sealed class WebFeed(ChannelActivity activity) : BackgroundService
{
    public const int SamplesPerSecond = 20;

    /// <summary>Browsers reading the feed at once; more get 503.</summary>
    public const int MaxBrowsers = 16;

    private readonly ConcurrentDictionary<FeedSubscriber, bool> _browsers = new();
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly long _startUnixMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
    private long _droppedByGone;
    private int _joined;

    public int Browsers => _browsers.Count;

    /// <summary>Events dropped for slow browsers since the page started, those gone included.</summary>
    public long DroppedEvents
    {
        get
        {
            var dropped = Interlocked.Read(ref _droppedByGone);
            foreach (var browser in _browsers.Keys)
            {
                dropped += browser.Dropped;
            }
            return dropped;
        }
    }

    /// <summary>Builds the snapshot events (set once the page's endpoints exist).</summary>
    public Func<GatewaySnapshot>? Snapshots { get; set; }

    /// <summary>A new browser, or null when <see cref="MaxBrowsers"/> already read the feed.</summary>
    public FeedSubscriber? TryJoin(ChannelTraffic? watched)
    {
        if (Interlocked.Increment(ref _joined) > MaxBrowsers)
        {
            Interlocked.Decrement(ref _joined);
            return null;
        }
        var browser = new FeedSubscriber(watched);
        _browsers[browser] = true;
        return browser;
    }

    public void Leave(FeedSubscriber browser)
    {
        if (_browsers.TryRemove(browser, out _))
        {
            browser.Complete();
            Interlocked.Add(ref _droppedByGone, browser.Dropped);
            Interlocked.Decrement(ref _joined);
        }
    }

    /// <summary>One Server-Sent Event: <c>event: NAME</c> and one line of compact JSON.</summary>
    public static byte[] Event(string name, object data)
    {
        var json = JsonSerializer.Serialize(data, data.GetType(), WebJson.Options);
        return Encoding.UTF8.GetBytes($"event: {name}\ndata: {json}\n\n");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000.0 / SamplesPerSecond));
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                SendSamples();
                if (++ticks % SamplesPerSecond == 0)
                {
                    EverySecond();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The gateway stops.
        }
        finally
        {
            foreach (var browser in _browsers.Keys)
            {
                browser.Complete();
            }
        }
    }

    private void SendSamples()
    {
        // One event per channel and tick, shared by every browser plotting it.
        Dictionary<LastMessage, byte[]>? built = null;
        foreach (var browser in _browsers.Keys)
        {
            if (browser.Watched?.Last is not { } last || last.Sequence == browser.LastSampled)
            {
                continue;
            }
            built ??= [];
            if (!built.TryGetValue(last, out var sample))
            {
                built[last] = sample = Event("sample", Sample(browser.Watched, last));
            }
            browser.LastSampled = last.Sequence;
            browser.Post(sample);
        }
    }

    private void EverySecond()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var channel in activity.Channels)
        {
            channel.UpdateRate(now);
        }
        if (_browsers.IsEmpty || Snapshots is not { } snapshots)
        {
            return;
        }
        var snapshot = Event("snapshot", snapshots());
        foreach (var browser in _browsers.Keys)
        {
            browser.Post(snapshot);
            browser.Post(Event("feed", new FeedCounts(browser.Dropped)));
        }
    }

    private FeedSample Sample(ChannelTraffic channel, LastMessage last)
    {
        var arrivedMs = _startUnixMs + (long)Stopwatch.GetElapsedTime(_startTimestamp, last.ArrivedTimestamp).TotalMilliseconds;
        var fields = new List<object[]>();
        foreach (var (name, value) in MessagePreview.Numbers(last.Envelope))
        {
            fields.Add([name, value]);
        }
        return new FeedSample(channel.Id, last.Sequence, arrivedMs, fields);
    }

    /// <summary>A <c>sample</c> event: the channel's message number <paramref name="Seq"/>, when it arrived (unix ms), its numbers as [name, value] pairs.</summary>
    private sealed record FeedSample(int Id, long Seq, long T, IReadOnlyList<object[]> Fields);

    /// <summary>A <c>feed</c> event, once a second: events dropped for this browser so far.</summary>
    private sealed record FeedCounts(long Dropped);
}
