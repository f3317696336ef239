using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using DataNet.Td.Values;

namespace DataNet.Td;

/// <summary>
/// Per channel, the numeric fields of the newest JSON message, flattened into TD-legal names in first-seen order.
/// Updated inside <c>Poll</c>; read from any thread (reads take a short lock). A field missing from a later message
/// keeps its last value.
/// </summary>
public sealed class LastValues
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ChannelValues> _channels = new(StringComparer.Ordinal);
    private readonly List<ChannelValues> _order = new();
    private string[]? _channelNames;
    private double[] _scratch = new double[64];

    /// <summary>Bumps whenever any value changes (or the layout changes).</summary>
    public long Version { get; private set; }

    /// <summary>Bumps whenever a channel or a name appears or a channel is removed: re-read names only then.</summary>
    public long LayoutVersion { get; private set; }

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

            return new ChopValues(names, values, LayoutVersion);
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

    internal void Apply(string channel, NumericField[] fields)
    {
        if (fields.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out var entry))
            {
                entry = new ChannelValues(channel);
                _channels.Add(channel, entry);
                _order.Add(entry);
                _channelNames = null;
                LayoutVersion++;
            }

            var changed = false;
            foreach (var field in fields)
            {
                if (entry.Index.TryGetValue(field.Name, out var i))
                {
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
                    LayoutVersion++;
                    changed = true;
                }
            }

            if (changed)
            {
                Version++;
            }
        }
    }

    internal void Remove(string channel)
    {
        lock (_gate)
        {
            if (_channels.TryGetValue(channel, out var entry))
            {
                _channels.Remove(channel);
                _order.Remove(entry);
                _channelNames = null;
                LayoutVersion++;
                Version++;
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

        private readonly List<string> _prefixed = new();

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
