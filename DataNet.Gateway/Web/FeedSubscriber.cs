using System.Threading;
using System.Threading.Channels;

namespace DataNet.Gateway.Web;

/// <summary>
/// One browser reading the live feed: a bounded queue of ready-made Server-Sent Events between the feed's sampling
/// loop (which never waits) and the request writing them (which waits for the browser). A full queue drops the new
/// event and counts it, so a slow browser loses events, never slows the gateway.
/// </summary>
internal sealed class FeedSubscriber(ChannelTraffic? watched)
{
    /// <summary>Events waiting for one browser at most: three seconds of samples at the full sampling rate.</summary>
    public const int QueueEvents = 64;

    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueueEvents)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private long _dropped;

    /// <summary>The channel whose numeric fields this browser plots, or null (snapshots only).</summary>
    public ChannelTraffic? Watched { get; } = watched;

    /// <summary>The watched channel's message number last sent as a sample (sampling loop only).</summary>
    public long LastSampled { get; set; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<byte[]> Events => _queue.Reader;

    /// <summary>Queues an event without waiting; counts it as dropped when the queue is full.</summary>
    public void Post(byte[] serverSentEvent)
    {
        if (!_queue.Writer.TryWrite(serverSentEvent))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>No more events: the request ends once it has written what is queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();
}
