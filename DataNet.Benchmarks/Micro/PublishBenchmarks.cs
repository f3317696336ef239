using BenchmarkDotNet.Attributes;
using DataNet.Td;
using DataNet.Td.Protocol;

namespace DataNet.Benchmarks.Micro;

/// <summary>Publish encode: the envelope text the outbox sends (JSON validated and copied; DMX built and base64'd).</summary>
[MemoryDiagnoser]
public class PublishBenchmarks
{
    [Params(Payload.Json60, Payload.Json1K, Payload.Dmx512)]
    public Payload Payload { get; set; }

    [Benchmark]
    public int PublishEncode() => Payload == Payload.Dmx512
        ? ClientEnvelopes.PublishBinary(Payloads.Channel, Dmx.BuildFrame(Payloads.DmxLevels), Dmx.ContentType, null).Length
        : ClientEnvelopes.Publish(Payloads.Channel, Payloads.Data(Payload)).Length;
}
