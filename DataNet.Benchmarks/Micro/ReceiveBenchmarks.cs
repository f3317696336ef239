using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using DataNet.Td.Protocol;
using DataNet.Td.Values;

namespace DataNet.Benchmarks.Micro;

/// <summary>The socket thread's work per frame: envelope decode (UTF-8 bytes to a message), and flattening alone.</summary>
[MemoryDiagnoser]
public class ReceiveBenchmarks
{
    private readonly List<NumericField> _fields = new();
    private byte[] _envelope = System.Array.Empty<byte>();
    private byte[] _data = System.Array.Empty<byte>();

    [Params(Payload.Json60, Payload.Json1K, Payload.Dmx512)]
    public Payload Payload { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _envelope = Payloads.ServerEnvelopeUtf8(Payload);
        if (Payload != Payload.Dmx512)
        {
            _data = System.Text.Encoding.UTF8.GetBytes(Payloads.Data(Payload));
        }
    }

    /// <summary>Text frame to a decoded message: envelope fields read in place, <c>d</c> kept as UTF-8 (or base64 decoded for DMX).</summary>
    [Benchmark]
    public object? EnvelopeDecode() => ServerFrameReader.ReadText(_envelope, Payloads.Timestamp).Message;

    /// <summary>Numeric flattening of <c>d</c>'s UTF-8 into a reused list (DMX has none: reported as 0).</summary>
    [Benchmark]
    public int NumericFlatten() => Payload == Payload.Dmx512 ? 0 : NumericFlattener.Flatten(_data, _fields, int.MaxValue) + _fields.Count;
}
