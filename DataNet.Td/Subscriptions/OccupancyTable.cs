using System.Collections.Generic;
using System.Threading;

namespace DataNet.Td.Subscriptions;

/// <summary>
/// The latest <c>sub_ack</c> occupancy per channel, bounded: beyond <see cref="Capacity"/> channels the least recently
/// updated entry is evicted and counted, so a server acknowledging endless channel names cannot grow memory.
/// </summary>
internal sealed class OccupancyTable
{
    /// <summary>Far more channels than one TD project subscribes to.</summary>
    public const int Capacity = 1024;

    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(System.StringComparer.Ordinal);
    private long _tick;
    private long _evicted;

    /// <summary>Entries evicted to stay within <see cref="Capacity"/>.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public void Set(string channel, int occupancy)
    {
        lock (_gate)
        {
            if (!_entries.ContainsKey(channel) && _entries.Count >= Capacity)
            {
                EvictLeastRecent();
            }

            _entries[channel] = new Entry(occupancy, ++_tick);
        }
    }

    public bool TryGet(string channel, out int occupancy)
    {
        lock (_gate)
        {
            var found = _entries.TryGetValue(channel, out var entry);
            occupancy = entry.Occupancy;
            return found;
        }
    }

    public void Remove(string channel)
    {
        lock (_gate)
        {
            _entries.Remove(channel);
        }
    }

    private void EvictLeastRecent()
    {
        string? oldest = null;
        var oldestTick = long.MaxValue;
        foreach (var pair in _entries)
        {
            if (pair.Value.Tick < oldestTick)
            {
                oldest = pair.Key;
                oldestTick = pair.Value.Tick;
            }
        }

        if (oldest is not null)
        {
            _entries.Remove(oldest);
            Interlocked.Increment(ref _evicted);
        }
    }

    private readonly struct Entry
    {
        public Entry(int occupancy, long tick)
        {
            Occupancy = occupancy;
            Tick = tick;
        }

        public int Occupancy { get; }

        public long Tick { get; }
    }
}
