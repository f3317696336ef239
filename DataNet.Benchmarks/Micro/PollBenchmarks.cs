using System;
using BenchmarkDotNet.Attributes;
using DataNet.Td;
using DataNet.Td.Protocol;

namespace DataNet.Benchmarks.Micro;

/// <summary>
/// The C# receive path of a real (never connected) DataNetClient, per message: the socket thread's hand-off into the
/// inbox (with LastValues), then Poll: dequeue, row, a C# handler, then the frame's TakeRows. <c>ReceivePath</c> also
/// decodes the text frame first, so it is everything the C# side does for one received message after the transport.
/// </summary>
[MemoryDiagnoser]
public class PollBenchmarks : IDisposable
{
    public const int Batch = 167;

    private DataNetClient _client = null!;
    private ServerFrame _frame;
    private byte[] _envelope = Array.Empty<byte>();
    private long _handled;

    [Params(Payload.Json60, Payload.Json1K, Payload.Dmx512)]
    public Payload Payload { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _client = new DataNetClient(DataNetOptions.LocalGateway(1) with { DeviceId = "bench-micro" });
        if (Payload == Payload.Dmx512)
        {
            _client.SubscribeBinary(Payloads.Channel, _ => _handled++);
        }
        else
        {
            _client.Subscribe(Payloads.Channel, _ => _handled++);
        }

        _envelope = Payloads.ServerEnvelopeUtf8(Payload);
        _frame = ServerFrameReader.ReadText(_envelope, Payloads.Timestamp);
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        _client?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Inbox hand-off (+ LastValues) + Poll dispatch to one C# handler (+ row, TakeRows), per message.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int PollDispatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            _client.OnServerFrame(_frame);
        }

        var result = _client.Poll();
        _client.TakeRows(1000);
        return result.Messages;
    }

    /// <summary>Decode + hand-off + Poll dispatch, per message: the whole C# receive path after the transport.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int ReceivePath()
    {
        for (var i = 0; i < Batch; i++)
        {
            _client.OnServerFrame(ServerFrameReader.ReadText(_envelope, Payloads.Timestamp));
        }

        var result = _client.Poll();
        _client.TakeRows(1000);
        return result.Messages;
    }
}
