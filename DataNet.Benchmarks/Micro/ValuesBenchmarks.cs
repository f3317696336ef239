using BenchmarkDotNet.Attributes;
using DataNet.Td;
using DataNet.Td.Values;

namespace DataNet.Benchmarks.Micro;

/// <summary>
/// LastValues on the main thread: Apply (inside Poll, per message) and the Script CHOP's bulk reads (per cook):
/// CopyValues into a caller's buffer and Collect (names + values), for the two JSON payloads and 1,000 fields.
/// </summary>
[MemoryDiagnoser]
public class ValuesBenchmarks
{
    private readonly string[] _channels = { Payloads.Channel };
    private LastValues _values = new();
    private NumericField[] _fields = System.Array.Empty<NumericField>();
    private double[] _buffer = System.Array.Empty<double>();

    [Params("Json60", "Json1K", "Fields1000")]
    public string Shape { get; set; } = "Json60";

    [GlobalSetup]
    public void Setup()
    {
        var json = Shape switch
        {
            "Json60" => Payloads.Json60,
            "Json1K" => Payloads.Json1K,
            _ => Payloads.WideJson(1000),
        };
        _fields = NumericFlattener.Flatten(json);
        _values = new LastValues();
        _values.Apply(Payloads.Channel, _fields);
        _buffer = new double[_fields.Length];
    }

    /// <summary>One message's fields into LastValues (names known: the steady state).</summary>
    [Benchmark]
    public long Apply()
    {
        _values.Apply(Payloads.Channel, _fields);
        return _values.Version;
    }

    /// <summary>Every value of the channel into a reused double[] (no allocation expected).</summary>
    [Benchmark]
    public int CopyValues() => _values.CopyValues(_channels, true, _buffer);

    /// <summary>Names (prefixed with the channel) and values as new arrays: what chop_values.py calls per cook.</summary>
    [Benchmark]
    public int CollectPrefixed() => _values.Collect(_channels, true).Values.Length;
}
