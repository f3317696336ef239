using System;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using DataNet.Td;
using DataNet.Td.Protocol;

namespace DataNet.Benchmarks.Micro;

/// <summary>
/// The C# receive path of a real (never connected) DataNetClient, per message: the socket thread's hand-off into the
/// inbox, then Poll: dequeue, LastValues, row, a C# handler, then the frame's TakeRows. <c>ReceivePath</c> also
/// decodes the text frame first, so it is everything the C# side does for one received message after the transport.
/// </summary>
[MemoryDiagnoser]
public class PollBenchmarks : IDisposable
{
    public const int Batch = 167;

    private DataNetClient _client = null!;
    private Action<ServerFrame> _onServerFrame = null!;
    private ServerFrame _frame = null!;
    private string _envelope = "";
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

        // The socket thread's entry point is private: bind it once (setup only, not measured).
        var method = typeof(DataNetClient).GetMethod("OnServerFrame", BindingFlags.Instance | BindingFlags.NonPublic)
                     ?? throw new MissingMethodException("DataNetClient.OnServerFrame");
        _onServerFrame = method.CreateDelegate<Action<ServerFrame>>(_client);
        _envelope = Payloads.ServerEnvelope(Payload);
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

    /// <summary>Inbox hand-off + Poll dispatch to one C# handler (+ LastValues, row, TakeRows), per message.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int PollDispatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            _onServerFrame(_frame);
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
            _onServerFrame(ServerFrameReader.ReadText(_envelope, Payloads.Timestamp));
        }

        var result = _client.Poll();
        _client.TakeRows(1000);
        return result.Messages;
    }
}
