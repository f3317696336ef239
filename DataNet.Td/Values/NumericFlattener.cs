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
/// Flattens the numeric fields of a JSON value, once, on the receive thread: object keys and array indexes joined
/// with <c>/</c>, booleans as 0/1, strings and nulls skipped, a bare number or boolean named <c>value</c>, every
/// name made TD-legal (<see cref="ChannelNames"/>). Document order, so first-seen order is stable.
/// </summary>
/// <remarks>
/// A stream repeats its shape, so each thread remembers the names of the previous value it flattened, node by node
/// (<see cref="Scratch"/>): a node whose parent and key match the remembered one reuses its name instead of
/// allocating it again, and the field list is reused. Measured (docs/benchmarks.md): 512 B and 9 allocations for a
/// 55-byte, five-field message before, one array (the result) now; 16.5 KB to 2.4 KB for the 1 KiB message.
/// </remarks>
internal static class NumericFlattener
{
    public const string BareValueName = "value";

    /// <summary>Most nodes remembered per thread (and the field list's kept capacity): a huge one-off stays one-off.</summary>
    private const int MaxRemembered = 4096;

    [ThreadStatic]
    private static Scratch? t_scratch;

    public static NumericField[] Flatten(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                var scratch = t_scratch ??= new Scratch();
                scratch.Fields.Clear();
                if (scratch.Fields.Capacity > MaxRemembered)
                {
                    scratch.Fields.Capacity = MaxRemembered;
                }

                scratch.Node = 0;
                Walk(element, null, scratch);
                return scratch.Fields.Count == 0 ? Array.Empty<NumericField>() : scratch.Fields.ToArray();
            default:
                return TryNumber(element, out var value)
                    ? new[] { new NumericField(BareValueName, value) }
                    : Array.Empty<NumericField>();
        }
    }

    public static NumericField[] Flatten(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Flatten(document.RootElement);
    }

    private static void Walk(JsonElement element, string? path, Scratch scratch)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, scratch.PropertyName(path, property), scratch);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, scratch.IndexName(path, index), scratch);
                    index++;
                }

                break;
            default:
                if (TryNumber(element, out var value))
                {
                    scratch.Fields.Add(new NumericField(path ?? BareValueName, value));
                }

                break;
        }
    }

    private static bool TryNumber(JsonElement element, out double value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                // Numbers beyond double's range have no CHOP value: skip them rather than store infinity.
                return element.TryGetDouble(out value) && !double.IsInfinity(value);
            case JsonValueKind.True:
                value = 1;
                return true;
            case JsonValueKind.False:
                value = 0;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>Per-thread reusable state: the field list and the names of the previous value's nodes, in visit order.</summary>
    private sealed class Scratch
    {
        private readonly List<Slot> _slots = new();

        public List<NumericField> Fields { get; } = new();

        public int Node { get; set; }

        /// <summary>The full name of an object member: the remembered one when parent and raw key match.</summary>
        public string PropertyName(string? parent, JsonProperty property)
        {
            var node = Node++;
            if (node < _slots.Count)
            {
                var slot = _slots[node];
                if (ReferenceEquals(slot.Parent, parent) && slot.Key is not null && property.NameEquals(slot.Key))
                {
                    return slot.Name;
                }
            }

            var key = property.Name;
            var part = ChannelNames.Sanitize(key);
            return Remember(node, new Slot(parent, key, -1, parent is null ? part : parent + "/" + part));
        }

        /// <summary>The full name of an array item: the remembered one when parent and index match.</summary>
        public string IndexName(string? parent, int index)
        {
            var node = Node++;
            if (node < _slots.Count)
            {
                var slot = _slots[node];
                if (ReferenceEquals(slot.Parent, parent) && slot.Key is null && slot.Index == index)
                {
                    return slot.Name;
                }
            }

            var part = index.ToString(CultureInfo.InvariantCulture);
            return Remember(node, new Slot(parent, null, index, parent is null ? part : parent + "/" + part));
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

    private readonly struct Slot
    {
        public Slot(string? parent, string? key, int index, string name)
        {
            Parent = parent;
            Key = key;
            Index = index;
            Name = name;
        }

        public string? Parent { get; }

        public string? Key { get; }

        public int Index { get; }

        public string Name { get; }
    }
}
