using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace DataNet.Gateway.Web;

/// <summary>
/// The publish hook of the web page (<see cref="GatewayOptions.WebPage"/>): counts every relayed message per channel
/// and keeps the last one. Bounded: past <see cref="MaxChannels"/> channels, messages to new channels are only
/// counted in <see cref="UntrackedMessages"/>, so a client inventing channel names cannot grow it without limit.
/// </summary>
internal sealed class ChannelActivity
{
    public const int MaxChannels = 1024;

    private readonly ConcurrentDictionary<(string Project, string Channel), ChannelTraffic> _channels = new();
    private readonly ConcurrentDictionary<int, ChannelTraffic> _byId = new();
    private readonly object _adding = new();
    private int _nextId;
    private long _untracked;

    /// <summary>Messages to channels beyond <see cref="MaxChannels"/>, not tracked one by one.</summary>
    public long UntrackedMessages => Interlocked.Read(ref _untracked);

    public ICollection<ChannelTraffic> Channels => _channels.Values;

    public void Published(string project, string channel, byte[] envelope)
    {
        if (!_channels.TryGetValue((project, channel), out var traffic))
        {
            traffic = Add(project, channel);
            if (traffic is null)
            {
                Interlocked.Increment(ref _untracked);
                return;
            }
        }
        traffic.Record(envelope);
    }

    /// <summary>Once per channel: under a lock, so each channel gets exactly one id.</summary>
    private ChannelTraffic? Add(string project, string channel)
    {
        lock (_adding)
        {
            if (_channels.TryGetValue((project, channel), out var existing))
            {
                return existing;
            }
            if (_channels.Count >= MaxChannels)
            {
                return null;
            }
            var added = new ChannelTraffic(++_nextId, project, channel);
            _byId[added.Id] = added;
            _channels[(project, channel)] = added;
            return added;
        }
    }

    public ChannelTraffic? Find(int id) => _byId.GetValueOrDefault(id);
}
