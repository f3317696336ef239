using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Gateway.Faults;

/// <summary>One connection's "dead link" switch: while on, its loops stop reading and writing.</summary>
internal sealed class SilenceSwitch
{
    private readonly object _gate = new();
    private TaskCompletionSource? _released;

    public bool IsOn => Volatile.Read(ref _released) is not null;

    public void Set(bool on)
    {
        lock (_gate)
        {
            if (on && _released is null)
            {
                Volatile.Write(ref _released, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
            else if (!on && _released is { } released)
            {
                Volatile.Write(ref _released, null);
                released.TrySetResult();
            }
        }
    }

    /// <summary>Completes when the switch is off (at once if it is).</summary>
    public Task WhenOffAsync() => Volatile.Read(ref _released)?.Task ?? Task.CompletedTask;
}
