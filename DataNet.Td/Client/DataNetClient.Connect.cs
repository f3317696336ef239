using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Td;

public sealed partial class DataNetClient
{
    private readonly object _waitersGate = new();
    private readonly List<TaskCompletionSource<bool>> _waiters = new();

    /// <summary>
    /// Starts connecting in the background and returns at once; progress arrives through <see cref="Poll()"/>
    /// (<see cref="StateChanged"/>, <see cref="Connected"/>, <see cref="Error"/>). Idempotent; after
    /// <see cref="ConnectionState.Failed"/> it starts over.
    /// </summary>
    public void Connect()
    {
        ThrowIfDisposed();
        _connection.Start();
    }

    /// <summary>
    /// Connects and completes once the gateway has sent <c>connected</c>. Retries like <see cref="Connect"/> until then;
    /// throws <see cref="DataNetException"/> on a fatal error (bad key, device limit, retry policy gave up).
    /// Cancel <paramref name="cancel"/> to stop waiting (the client keeps trying).
    /// </summary>
    /// <param name="cancel">Stops the wait, not the connection.</param>
    public async Task ConnectAsync(CancellationToken cancel = default)
    {
        ThrowIfDisposed();
        var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersGate)
        {
            if (State == ConnectionState.Connected)
            {
                return;
            }

            _waiters.Add(waiter);
        }

        try
        {
            Connect();
            using (cancel.Register(() => waiter.TrySetCanceled(cancel)))
            {
                await waiter.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_waitersGate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Closes the connection and stops retrying. Subscriptions and queued publishes are kept; Connect() resumes.</summary>
    public void Disconnect()
    {
        if (IsDisposed)
        {
            return;
        }

        _connection.Stop("Disconnected by the application");
        FailWaiters(new OperationCanceledException("Disconnect() was called while connecting."));
    }

    private void CompleteWaiters()
    {
        lock (_waitersGate)
        {
            foreach (var waiter in _waiters)
            {
                waiter.TrySetResult(true);
            }
        }
    }

    private void FailWaiters(Exception error)
    {
        lock (_waitersGate)
        {
            foreach (var waiter in _waiters)
            {
                waiter.TrySetException(error);
            }
        }
    }
}
