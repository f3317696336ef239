using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using DataNet.Td.Values;

namespace DataNet.Td;

/// <summary>
/// Per channel, the numeric fields of the newest JSON message, flattened into TD-legal names in first-seen order.
/// Updated on the client's receive thread as each message arrives, before it is queued for <c>Poll</c> (so TD's
/// thread does no flattening); read from any thread (reads take a short lock). A field missing from a later message
/// keeps its last value.
/// </summary>
/// <remarks>
/// Bounded whatever peers send: at most <see cref="MaxFields"/> fields over all channels; a new field beyond that
/// evicts the least recently updated ones. Fields with names over 255 characters, and fields beyond
/// <see cref="MaxFields"/> in a single message, are never stored. Both are counted in <see cref="DroppedFields"/>.
/// </remarks>
public sealed class LastValues
{
    /// <summary>The default of <see cref="MaxFields"/>: 10,000 fields over all channels.</summary>
    public const int DefaultMaxFields = 10_000;

    private readonly object _gate = new();
    private readonly object _flattenGate = new();
    private readonly Dictionary<string, ChannelValues> _channels = new(StringComparer.Ordinal);
    private readonly List<ChannelValues> _order = new();
    private readonly List<NumericField> _fields = new();
    private string[]? _channelNames;
    private double[] _scratch = new double[64];
    private long[] _stamps = Array.Empty<long>();
    private long _tick;
    private int _count;
    private long _version;
    private long _layoutVersion;
    private long _dropped;

    /// <summary>Creates an empty set holding at most <see cref="DefaultMaxFields"/> fields.</summary>
    public LastValues()
        : this(DefaultMaxFields)
    {
    }

    internal LastValues(int maxFields) => MaxFields = maxFields;

    /// <summary>Most fields held over all channels (<see cref="DataNetOptions.MaxValueFields"/>).</summary>
    public int MaxFields { get; }

    /// <summary>Fields evicted to stay within <see cref="MaxFields"/>, plus fields never stored (name too long, or beyond the cap in one message).</summary>
    public long DroppedFields => Interlocked.Read(ref _dropped);

    /// <summary>Bumps whenever any value changes (or the layout changes).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Bumps whenever a channel or a name appears or a channel or name is removed: re-read names only then.</summary>
    public long LayoutVersion => Interlocked.Read(ref _layoutVersion);

    /// <summary>Channels with values, in first-seen order.</summary>
    public string[] Channels
    {
        get
        {
            lock (_gate)
            {
                if (_channelNames is null)
                {
                    _channelNames = new string[_order.Count];
                    for (var i = 0; i < _order.Count; i++)
                    {
                        _channelNames[i] = _order[i].Channel;
                    }
                }

                return (string[])_channelNames.Clone();
            }
        }
    }

    /// <summary>The names of one channel's fields, in first-seen order; empty when unknown.</summary>
    /// <param name="channel">The channel.</param>
    public string[] GetNames(string channel)
    {
        lock (_gate)
        {
            return channel is not null && _channels.TryGetValue(channel, out var values) ? values.Names.ToArray() : Array.Empty<string>();
        }
    }

    /// <summary>The values of one channel, index-aligned with <see cref="GetNames"/>; empty when unknown.</summary>
    /// <param name="channel">The channel.</param>
    public double[] GetValues(string channel)
    {
        lock (_gate)
        {
            return channel is not null && _channels.TryGetValue(channel, out var values) ? values.Values.ToArray() : Array.Empty<double>();
        }
    }

    /// <summary>One value by channel and flattened name (e.g. <c>env/t</c>).</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="name">The flattened name.</param>
    /// <param name="value">The value, or 0 when unknown.</param>
    public bool TryGetValue(string channel, string name, out double value)
    {
        lock (_gate)
        {
            if (channel is not null && name is not null && _channels.TryGetValue(channel, out var values) && values.Index.TryGetValue(name, out var i))
            {
                value = values.Values[i];
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>One value, or <paramref name="fallback"/> when unknown.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="name">The flattened name.</param>
    /// <param name="fallback">Returned when the channel or name is unknown.</param>
    public double GetValue(string channel, string name, double fallback) =>
        TryGetValue(channel, name, out var value) ? value : fallback;

    /// <summary>
    /// Names and values of several channels in one call, channel by channel in the given order, names in first-seen
    /// order. With <paramref name="prefixWithChannel"/> names become <c>channel/name</c> (the channel made TD-legal).
    /// </summary>
    /// <param name="channels">The channels; null or empty means every channel, in first-seen order.</param>
    /// <param name="prefixWithChannel">Prefix each name with its channel.</param>
    public ChopValues Collect(string[]? channels, bool prefixWithChannel)
    {
        lock (_gate)
        {
            // Exact-size arrays and names made once per layout (measured: 1,000 prefixed fields went from 1,000 string
            // concatenations and list regrowth per call to two array copies).
            var count = 0;
            foreach (var entry in Select(channels))
            {
                count += entry.Values.Count;
            }

            var names = count == 0 ? Array.Empty<string>() : new string[count];
            var values = count == 0 ? Array.Empty<double>() : new double[count];
            var at = 0;
            foreach (var entry in Select(channels))
            {
                var source = prefixWithChannel ? entry.PrefixedNames() : entry.Names;
                source.CopyTo(names, at);
                entry.Values.CopyTo(values, at);
                at += entry.Values.Count;
            }

            return new ChopValues(names, values, _layoutVersion);
        }
    }

    /// <summary>
    /// Copies the values of <see cref="Collect"/> (same order) into <paramref name="destination"/> without allocating.
    /// Returns how many were written: at most <c>destination.Length</c>; <see cref="CountValues"/> tells how many there are.
    /// </summary>
    /// <param name="channels">The channels; null or empty means every channel.</param>
    /// <param name="prefixWithChannel">Ignored for values (kept so calls mirror <see cref="Collect"/>).</param>
    /// <param name="destination">The caller's buffer.</param>
    public int CopyValues(string[]? channels, bool prefixWithChannel, double[] destination)
    {
        if (destination is null)
        {
            throw new ArgumentNullException(nameof(destination));
        }

        lock (_gate)
        {
            var written = 0;
            if (channels is null || channels.Length == 0)
            {
                foreach (var entry in _order)
                {
                    written = CopyInto(entry, destination, written);
                }
            }
            else
            {
                foreach (var channel in channels)
                {
                    if (channel is not null && _channels.TryGetValue(channel, out var entry))
                    {
                        written = CopyInto(entry, destination, written);
                    }
                }
            }

            return written;
        }
    }

    /// <summary>
    /// Like <see cref="CopyValues(string[], bool, double[])"/>, but only while the layout is still
    /// <paramref name="layoutVersion"/> (the <see cref="ChopValues.LayoutVersion"/> of the names the caller holds);
    /// returns -1, copying nothing, when fields or channels came or went since, so values never land under the wrong
    /// names. Values arrive on the receive thread: a <see cref="LayoutVersion"/> read before a separate
    /// <see cref="CopyValues(string[], bool, double[])"/> can be stale by the time the copy runs; this check cannot.
    /// </summary>
    /// <param name="channels">The channels; null or empty means every channel.</param>
    /// <param name="destination">The caller's buffer.</param>
    /// <param name="layoutVersion">The layout the caller's names belong to.</param>
    public int CopyValues(string[]? channels, double[] destination, long layoutVersion)
    {
        lock (_gate)
        {
            return _layoutVersion == layoutVersion ? CopyValues(channels, false, destination) : -1;
        }
    }

    /// <summary>
    /// Copies the values of <see cref="Collect"/> (same order) into unmanaged memory, e.g. a NumPy array's buffer
    /// (<c>arr.ctypes.data</c>) in a Script CHOP, so no .NET array crosses into Python. Returns how many doubles were
    /// written: at most <paramref name="capacity"/>.
    /// </summary>
    /// <param name="channels">The channels; null or empty means every channel.</param>
    /// <param name="destination">Address of at least <paramref name="capacity"/> doubles.</param>
    /// <param name="capacity">How many doubles fit at <paramref name="destination"/>.</param>
    public int CopyValuesTo(string[]? channels, IntPtr destination, int capacity)
    {
        if (destination == IntPtr.Zero && capacity > 0)
        {
            throw new ArgumentNullException(nameof(destination));
        }

        lock (_gate)
        {
            var written = 0;
            foreach (var entry in Select(channels))
            {
                var count = Math.Min(entry.Values.Count, capacity - written);
                if (count <= 0)
                {
                    break;
                }

                if (_scratch.Length < count)
                {
                    _scratch = new double[Math.Max(count, _scratch.Length * 2)];
                }

                entry.Values.CopyTo(0, _scratch, 0, count);
                Marshal.Copy(_scratch, 0, IntPtr.Add(destination, written * sizeof(double)), count);
                written += count;
            }

            return written;
        }
    }

    /// <summary>
    /// Like <see cref="CopyValuesTo(string[], IntPtr, int)"/>, but only while the layout is still
    /// <paramref name="layoutVersion"/>; returns -1, writing nothing, when it changed (see
    /// <see cref="CopyValues(string[], double[], long)"/> for why).
    /// </summary>
    /// <param name="channels">The channels; null or empty means every channel.</param>
    /// <param name="destination">Address of at least <paramref name="capacity"/> doubles.</param>
    /// <param name="capacity">How many doubles fit at <paramref name="destination"/>.</param>
    /// <param name="layoutVersion">The layout the caller's names belong to.</param>
    public int CopyValuesTo(string[]? channels, IntPtr destination, int capacity, long layoutVersion)
    {
        lock (_gate)
        {
            return _layoutVersion == layoutVersion ? CopyValuesTo(channels, destination, capacity) : -1;
        }
    }

    /// <summary>How many values <see cref="Collect"/> would return for these channels.</summary>
    /// <param name="channels">The channels; null or empty means every channel.</param>
    public int CountValues(string[]? channels)
    {
        lock (_gate)
        {
            var count = 0;
            foreach (var entry in Select(channels))
            {
                count += entry.Values.Count;
            }

            return count;
        }
    }

    /// <summary>Flattens one message's <c>d</c> (UTF-8 JSON) into the channel's fields.</summary>
    internal void Apply(string channel, ReadOnlySpan<byte> dataJson)
    {
        // Flattening holds only its own lock, so a reader on TD's thread never waits for a large message to be parsed.
        lock (_flattenGate)
        {
            var skipped = NumericFlattener.Flatten(dataJson, _fields, MaxFields);
            if (skipped > 0)
            {
                Interlocked.Add(ref _dropped, skipped);
            }

            if (_fields.Count > 0)
            {
                lock (_gate)
                {
                    ApplyLocked(channel);
                }
            }
        }
    }

    private void ApplyLocked(string channel)
    {
        if (!_channels.TryGetValue(channel, out var entry))
        {
            entry = new ChannelValues(channel);
            _channels.Add(channel, entry);
            _order.Add(entry);
            _channelNames = null;
            Interlocked.Increment(ref _layoutVersion);
        }

        var changed = false;
        foreach (var field in _fields)
        {
            if (entry.Index.TryGetValue(field.Name, out var i))
            {
                entry.Stamps[i] = ++_tick;
                // Compare bit patterns so NaN-free updates with equal values do not bump Version.
                if (!entry.Values[i].Equals(field.Value))
                {
                    entry.Values[i] = field.Value;
                    changed = true;
                }
            }
            else
            {
                entry.Index.Add(field.Name, entry.Names.Count);
                entry.Names.Add(field.Name);
                entry.Values.Add(field.Value);
                entry.Stamps.Add(++_tick);
                _count++;
                Interlocked.Increment(ref _layoutVersion);
                changed = true;
            }
        }

        if (_count > MaxFields)
        {
            EvictLeastRecent(_count - MaxFields);
        }

        if (changed)
        {
            Interlocked.Increment(ref _version);
        }
    }

    /// <summary>
    /// Drops the <paramref name="excess"/> least recently updated fields over all channels (a channel left empty goes
    /// too). Runs only when a new field pushes past the cap, at most once per message; the fields of the message just
    /// applied are the newest, so they stay.
    /// </summary>
    private void EvictLeastRecent(int excess)
    {
        if (_stamps.Length < _count)
        {
            _stamps = new long[_count];
        }

        var n = 0;
        foreach (var entry in _order)
        {
            entry.Stamps.CopyTo(_stamps, n);
            n += entry.Stamps.Count;
        }

        Array.Sort(_stamps, 0, n);
        var newestEvicted = _stamps[excess - 1];
        for (var c = _order.Count - 1; c >= 0; c--)
        {
            var entry = _order[c];
            entry.RemoveStampedUpTo(newestEvicted);
            if (entry.Names.Count == 0)
            {
                _channels.Remove(entry.Channel);
                _order.RemoveAt(c);
                _channelNames = null;
            }
        }

        _count -= excess;
        Interlocked.Add(ref _dropped, excess);
        Interlocked.Increment(ref _layoutVersion);
    }

    internal void Remove(string channel)
    {
        lock (_gate)
        {
            if (_channels.TryGetValue(channel, out var entry))
            {
                _channels.Remove(channel);
                _order.Remove(entry);
                _count -= entry.Names.Count;
                _channelNames = null;
                Interlocked.Increment(ref _layoutVersion);
                Interlocked.Increment(ref _version);
            }
        }
    }

    private IEnumerable<ChannelValues> Select(string[]? channels)
    {
        if (channels is null || channels.Length == 0)
        {
            foreach (var entry in _order)
            {
                yield return entry;
            }

            yield break;
        }

        foreach (var channel in channels)
        {
            if (channel is not null && _channels.TryGetValue(channel, out var entry))
            {
                yield return entry;
            }
        }
    }

    private static int CopyInto(ChannelValues entry, double[] destination, int written)
    {
        var count = Math.Min(entry.Values.Count, destination.Length - written);
        if (count > 0)
        {
            entry.Values.CopyTo(0, destination, written, count);
        }

        return written + Math.Max(count, 0);
    }

    private sealed class ChannelValues
    {
        public ChannelValues(string channel)
        {
            Channel = channel;
            Prefix = ChannelNames.Sanitize(channel) + "/";
        }

        public string Channel { get; }

        public string Prefix { get; }

        public List<string> Names { get; } = new();

        public List<double> Values { get; } = new();

        public Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);

        /// <summary>When each field was last written (a tick of the owning <see cref="LastValues"/>), index-aligned.</summary>
        public List<long> Stamps { get; } = new();

        private readonly List<string> _prefixed = new();

        /// <summary>Removes every field last written at or before <paramref name="stamp"/>, keeping the others' order.</summary>
        public void RemoveStampedUpTo(long stamp)
        {
            var kept = 0;
            for (var i = 0; i < Names.Count; i++)
            {
                if (Stamps[i] > stamp)
                {
                    Names[kept] = Names[i];
                    Values[kept] = Values[i];
                    Stamps[kept] = Stamps[i];
                    kept++;
                }
            }

            if (kept == Names.Count)
            {
                return;
            }

            var removed = Names.Count - kept;
            Names.RemoveRange(kept, removed);
            Values.RemoveRange(kept, removed);
            Stamps.RemoveRange(kept, removed);
            _prefixed.Clear();
            Index.Clear();
            for (var i = 0; i < kept; i++)
            {
                Index.Add(Names[i], i);
            }
        }

        /// <summary><see cref="Prefix"/> + each name, extended when names were added (names are never removed).</summary>
        public List<string> PrefixedNames()
        {
            for (var i = _prefixed.Count; i < Names.Count; i++)
            {
                _prefixed.Add(Prefix + Names[i]);
            }

            return _prefixed;
        }
    }
}
