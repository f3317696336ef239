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
internal static class NumericFlattener
{
    public const string BareValueName = "value";

    public static NumericField[] Flatten(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                var fields = new List<NumericField>();
                Walk(element, null, fields);
                return fields.ToArray();
            default:
                return TryNumber(element, out var value)
                    ? new[] { new NumericField(BareValueName, value) }
                    : System.Array.Empty<NumericField>();
        }
    }

    public static NumericField[] Flatten(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Flatten(document.RootElement);
    }

    private static void Walk(JsonElement element, string? path, List<NumericField> fields)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var part = ChannelNames.Sanitize(property.Name);
                    Walk(property.Value, path is null ? part : path + "/" + part, fields);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    var part = index.ToString(CultureInfo.InvariantCulture);
                    Walk(item, path is null ? part : path + "/" + part, fields);
                    index++;
                }

                break;
            default:
                if (TryNumber(element, out var value))
                {
                    fields.Add(new NumericField(path ?? BareValueName, value));
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
}
