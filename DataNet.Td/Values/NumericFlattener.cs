using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace DataNet.Td.Values;

/// <summary>One numeric field of a message: a TD-legal name and its value.</summary>
internal readonly struct NumericField
{
    public NumericField(string name, double value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    public double Value { get; }
}

/// <summary>
/// Flattens the numeric fields of a JSON value, read from its UTF-8 bytes: object keys and array indexes joined with
/// <c>/</c>, booleans as 0/1, strings and nulls skipped, a bare number or boolean named <c>value</c>, every name made
/// TD-legal (<see cref="ChannelNames"/>). Document order, so first-seen order is stable.
/// </summary>
/// <remarks>
/// A stream repeats its shape, so each thread remembers the names of the previous value it flattened, node by node
/// (<see cref="Scratch"/>): a node whose parent and key bytes match the remembered one reuses its name instead of
/// allocating it again, and the caller's field list is reused, so a steady stream allocates nothing here.
/// Bounded whatever a peer sends: at most <c>maxFields</c> fields per value and names of at most
/// <see cref="MaxNameLength"/> characters; the rest is skipped and counted.
/// </remarks>
internal static class NumericFlattener
{
    public const string BareValueName = "value";

    /// <summary>Longest flattened name kept; a field with a longer name (a peer's giant key) is skipped.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Most nodes remembered per thread: a huge one-off stays one-off.</summary>
    private const int MaxRemembered = 4096;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Stands for a name over <see cref="MaxNameLength"/>; everything under it is skipped too.</summary>
    private static readonly string TooLong = new('\0', 1);

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>
    /// Fills <paramref name="into"/> (cleared first) with the numeric fields of <paramref name="json"/>; returns how
    /// many numeric fields were skipped (beyond <paramref name="maxFields"/>, or with a name too long). Invalid JSON
    /// yields the fields read before the error.
    /// </summary>
    public static int Flatten(ReadOnlySpan<byte> json, List<NumericField> into, int maxFields)
    {
        into.Clear();
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                return 0;
            }

            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                if (TryNumber(ref reader, out var bare))
                {
                    into.Add(new NumericField(BareValueName, bare));
                }

                return 0;
            }

            var scratch = t_scratch ??= new Scratch();
            return scratch.Walk(ref reader, into, maxFields);
        }
        catch (JsonException)
        {
            // The frame reader validated the envelope; this is only reached for direct callers.
            return 0;
        }
    }

    private static bool TryNumber(ref Utf8JsonReader reader, out double value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                // Numbers beyond double's range have no CHOP value: skip them rather than store infinity.
                return reader.TryGetDouble(out value) && !double.IsInfinity(value);
            case JsonTokenType.True:
                value = 1;
                return true;
            case JsonTokenType.False:
                value = 0;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>Per-thread reusable state: the container stack and the names of the previous value's nodes, in visit order.</summary>
    private sealed class Scratch
    {
        private readonly List<Slot> _slots = new();
        private Level[] _levels = new Level[8];
        private int _node;

        public int Walk(ref Utf8JsonReader reader, List<NumericField> into, int maxFields)
        {
            _node = 0;
            var depth = 0;
            _levels[0] = new Level(null, reader.TokenType == JsonTokenType.StartArray);
            string? key = null;
            var skipped = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        key = PropertyName(_levels[depth].Path, ref reader);
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var path = NameOfValue(ref _levels[depth], key);
                        if (++depth == _levels.Length)
                        {
                            Array.Resize(ref _levels, depth * 2);
                        }

                        _levels[depth] = new Level(path, reader.TokenType == JsonTokenType.StartArray);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (--depth < 0)
                        {
                            return skipped;
                        }

                        break;
                    default:
                        if (!TryNumber(ref reader, out var value))
                        {
                            // Strings and nulls are not fields, but they still take their array index.
                            _levels[depth].Index++;
                            break;
                        }

                        var name = NameOfValue(ref _levels[depth], key);
                        if (ReferenceEquals(name, TooLong) || into.Count >= maxFields)
                        {
                            skipped++;
                        }
                        else
                        {
                            into.Add(new NumericField(name!, value));
                        }

                        break;
                }
            }

            return skipped;
        }

        /// <summary>The name of the value about to be read: the key just read in an object, the next index in an array.</summary>
        private string? NameOfValue(ref Level level, string? key) =>
            level.IsArray ? IndexName(level.Path, level.Index++) : key;

        /// <summary>The full name of an object member: the remembered one when parent and key bytes match.</summary>
        private string PropertyName(string? parent, ref Utf8JsonReader reader)
        {
            var node = _node++;
            if (node < _slots.Count && !reader.ValueIsEscaped)
            {
                var slot = _slots[node];
                if (ReferenceEquals(slot.Parent, parent) && slot.Key is not null && reader.ValueSpan.SequenceEqual(slot.Key))
                {
                    return slot.Name;
                }
            }

            if (ReferenceEquals(parent, TooLong))
            {
                return TooLong;
            }

            var part = ChannelNames.Sanitize(reader.GetString()!);
            var key = reader.ValueIsEscaped ? null : reader.ValueSpan.ToArray();
            return Remember(node, new Slot(parent, key, -1, Join(parent, part)));
        }

        /// <summary>The full name of an array item: the remembered one when parent and index match.</summary>
        private string IndexName(string? parent, int index)
        {
            var node = _node++;
            if (node < _slots.Count)
            {
                var slot = _slots[node];
                if (ReferenceEquals(slot.Parent, parent) && slot.Key is null && slot.Index == index)
                {
                    return slot.Name;
                }
            }

            if (ReferenceEquals(parent, TooLong))
            {
                return TooLong;
            }

            return Remember(node, new Slot(parent, null, index, Join(parent, index.ToString(CultureInfo.InvariantCulture))));
        }

        private static string Join(string? parent, string part)
        {
            var length = (parent?.Length + 1 ?? 0) + part.Length;
            return length > MaxNameLength ? TooLong : parent is null ? part : parent + "/" + part;
        }

        private string Remember(int node, Slot slot)
        {
            if (node >= MaxRemembered)
            {
                return slot.Name;
            }

            if (node < _slots.Count)
            {
                _slots[node] = slot;
            }
            else
            {
                _slots.Add(slot);
            }

            return slot.Name;
        }
    }

    private struct Level
    {
        public Level(string? path, bool isArray)
        {
            Path = path;
            IsArray = isArray;
            Index = 0;
        }

        public string? Path;
        public bool IsArray;
        public int Index;
    }

    private readonly struct Slot
    {
        public Slot(string? parent, byte[]? key, int index, string name)
        {
            Parent = parent;
            Key = key;
            Index = index;
            Name = name;
        }

        public string? Parent { get; }

        /// <summary>The key's raw UTF-8 bytes; null for an array item (or an escaped key, never matched).</summary>
        public byte[]? Key { get; }

        public int Index { get; }

        public string Name { get; }
    }
}
