using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Gateway.Faults;

/// <summary>The token endpoint's injected behaviour: normal, fail with a status, or hang.</summary>
internal sealed class AuthFaultState
{
    private readonly object _gate = new();
    private TaskCompletionSource _released = NewGate();
    private int _hung;

    public (int Status, string Body)? Failure { get; private set; }
    public bool Hanging { get; private set; }

    /// <summary>Requests currently held by <see cref="Hanging"/>.</summary>
    public int HungRequests => Volatile.Read(ref _hung);

    public void Fail(int status, string body)
    {
        lock (_gate)
        {
            Failure = (status, body);
            ReleaseLocked();
        }
    }

    public void Hang()
    {
        lock (_gate)
        {
            Failure = null;
            Hanging = true;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            Failure = null;
            ReleaseLocked();
        }
    }

    /// <summary>Holds a token request until the hang is lifted or the client gives up.</summary>
    public async Task WaitWhileHangingAsync(CancellationToken ct)
    {
        Task released;
        lock (_gate)
        {
            if (!Hanging)
            {
                return;
            }
            released = _released.Task;
        }
        Interlocked.Increment(ref _hung);
        try
        {
            await released.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _hung);
        }
    }

    private void ReleaseLocked()
    {
        Hanging = false;
        _released.TrySetResult();
        _released = NewGate();
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
