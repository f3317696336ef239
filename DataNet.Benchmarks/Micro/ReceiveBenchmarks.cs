using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DataNet.Td.Protocol;
using DataNet.Td.Values;

namespace DataNet.Benchmarks.Micro;

/// <summary>The socket thread's work per frame: envelope decode (which includes flattening), and flattening alone.</summary>
[MemoryDiagnoser]
public class ReceiveBenchmarks
{
    private string _envelope = "";
    private JsonDocument? _document;
    private JsonElement _data;

    [Params(Payload.Json60, Payload.Json1K, Payload.Dmx512)]
    public Payload Payload { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _envelope = Payloads.ServerEnvelope(Payload);
        if (Payload != Payload.Dmx512)
        {
            _document = JsonDocument.Parse(Payloads.Data(Payload));
            _data = _document.RootElement;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _document?.Dispose();

    /// <summary>Text frame to a decoded message: JSON parse, envelope fields, <c>d</c> raw text, flattening (or base64 for DMX).</summary>
    [Benchmark]
    public object EnvelopeDecode() => ServerFrameReader.ReadText(_envelope, Payloads.Timestamp);

    /// <summary>Numeric flattening of an already parsed <c>d</c> (DMX has none: reported as 0).</summary>
    [Benchmark]
    public int NumericFlatten() => Payload == Payload.Dmx512 ? 0 : NumericFlattener.Flatten(_data).Length;
}
