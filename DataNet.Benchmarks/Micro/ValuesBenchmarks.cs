using BenchmarkDotNet.Attributes;
using DataNet.Td;

namespace DataNet.Benchmarks.Micro;

/// <summary>
/// LastValues: Apply (on the socket thread, per message, flattening included) and the Script CHOP's bulk reads (per cook):
/// CopyValues into a caller's buffer and Collect (names + values), for the two JSON payloads and 1,000 fields.
/// </summary>
[MemoryDiagnoser]
public class ValuesBenchmarks
{
    private readonly string[] _channels = { Payloads.Channel };
    private LastValues _values = new();
    private byte[] _json = System.Array.Empty<byte>();
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
        _json = System.Text.Encoding.UTF8.GetBytes(json);
        _values = new LastValues();
        _values.Apply(Payloads.Channel, _json);
        _buffer = new double[_values.CountValues(_channels)];
    }

    /// <summary>One message's <c>d</c> flattened into LastValues (names known: the steady state), as the socket thread does.</summary>
    [Benchmark]
    public long Apply()
    {
        _values.Apply(Payloads.Channel, _json);
        return _values.Version;
    }

    /// <summary>Every value of the channel into a reused double[] (no allocation expected).</summary>
    [Benchmark]
    public int CopyValues() => _values.CopyValues(_channels, true, _buffer);

    /// <summary>Names (prefixed with the channel) and values as new arrays: what chop_values.py calls per cook.</summary>
    [Benchmark]
    public int CollectPrefixed() => _values.Collect(_channels, true).Values.Length;
}
