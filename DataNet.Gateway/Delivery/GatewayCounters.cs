using System.Threading;

namespace DataNet.Gateway.Delivery;

/// <summary>Thread-safe counts of what the gateway refused, dropped and closed; read as <see cref="GatewayStats"/>.</summary>
internal sealed class GatewayCounters
{
    private long _invalidMessages;
    private long _slowConsumerDrops;
    private long _slowConsumerNotices;
    private long _slowConsumerCloses;
    private long _idleCloses;

    public void InvalidMessage() => Interlocked.Increment(ref _invalidMessages);

    public void SlowConsumerDrop() => Interlocked.Increment(ref _slowConsumerDrops);

    public void SlowConsumerNotice() => Interlocked.Increment(ref _slowConsumerNotices);

    public void SlowConsumerClose() => Interlocked.Increment(ref _slowConsumerCloses);

    public void IdleClose() => Interlocked.Increment(ref _idleCloses);

    public GatewayStats Snapshot(long silencedFrames, int connections) => new()
    {
        Connections = connections,
        InvalidMessages = Interlocked.Read(ref _invalidMessages),
        SlowConsumerDrops = Interlocked.Read(ref _slowConsumerDrops),
        SlowConsumerNotices = Interlocked.Read(ref _slowConsumerNotices),
        SlowConsumerCloses = Interlocked.Read(ref _slowConsumerCloses),
        IdleCloses = Interlocked.Read(ref _idleCloses),
        SilencedFrames = silencedFrames,
    };
}
