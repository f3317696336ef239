using BenchmarkDotNet.Attributes;
using DataNet.Td;
using DataNet.Td.Protocol;
using DataNet.Td.Values;

namespace DataNet.Benchmarks.Micro;

/// <summary>Row hand-off for the Table DAT: a row per message inside Poll, then one TakeRows per frame (per message).</summary>
[MemoryDiagnoser]
public class RowBenchmarks
{
    /// <summary>Messages per simulated frame (10,000 msg/s at 60 fps is about 167).</summary>
    public const int PerFrame = 167;

    private readonly RowBuffer _rows = new(1000);
    private DataNetMessage _message = null!;

    [Params(Payload.Json60, Payload.Json1K, Payload.Dmx512)]
    public Payload Payload { get; set; }

    [GlobalSetup]
    public void Setup() => _message = ServerFrameReader.ReadText(Payloads.ServerEnvelopeUtf8(Payload), Payloads.Timestamp).Message!;

    /// <summary>Per message: its row (5 cells; the timestamp formatted, base64 for binary) and its share of one TakeRows.</summary>
    [Benchmark(OperationsPerInvoke = PerFrame)]
    public int AddAndTake()
    {
        for (var i = 0; i < PerFrame; i++)
        {
            _rows.Add(_message);
        }

        return _rows.Take(1000).Count;
    }
}
