using System.Threading;

namespace DataNet.Gateway.Delivery;

/// <summary>
/// One connection's slow-consumer bookkeeping. An episode starts with the first message dropped because the
/// outbox was full and ends when the outbox has emptied; the subscriber is told once per episode, and closed
/// when one episode drops <see cref="SlowConsumerPolicy.CloseAfterDrops"/> messages. Publishers of any
/// connection call <see cref="Dropped"/> concurrently; the writer calls <see cref="Drained"/>.
/// </summary>
internal sealed class SlowConsumerState(SlowConsumerPolicy policy, GatewayCounters counters)
{
    private readonly object _gate = new();
    private long _episodeDrops;
    private long _totalDrops;
    private bool _told;
    private bool _closing;
    private volatile bool _inEpisode;

    /// <summary>Messages dropped for this connection since it opened.</summary>
    public long TotalDrops => Interlocked.Read(ref _totalDrops);

    public SlowConsumerVerdict Dropped()
    {
        counters.SlowConsumerDrop();
        lock (_gate)
        {
            _inEpisode = true;
            _episodeDrops++;
            _totalDrops++;
            if (!_told)
            {
                _told = true;
                return SlowConsumerVerdict.DroppedAndNotify;
            }
            if (policy.CloseAfterDrops > 0 && _episodeDrops >= policy.CloseAfterDrops && !_closing)
            {
                _closing = true;
                counters.SlowConsumerClose();
                return SlowConsumerVerdict.DroppedAndClose;
            }
            return SlowConsumerVerdict.Dropped;
        }
    }

    /// <summary>The notice is in the outbox.</summary>
    public void NoticeSent() => counters.SlowConsumerNotice();

    /// <summary>The notice did not fit in the outbox: the next drop tries again.</summary>
    public void NoticeNotSent()
    {
        lock (_gate)
        {
            _told = false;
        }
    }

    /// <summary>The outbox is empty: the episode, if any, is over.</summary>
    public void Drained()
    {
        if (!_inEpisode)
        {
            return;
        }
        lock (_gate)
        {
            _inEpisode = false;
            _episodeDrops = 0;
            _told = false;
        }
    }
}
