using System.Threading;

namespace DataNet.Gateway.Sockets;

/// <summary>A thread-safe count of frames lost to the silent fault.</summary>
internal sealed class SilenceCounter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);
}
