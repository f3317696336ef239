using System;
using System.Threading;
using DataNet.Td;

namespace DataNet.Cli.Connection;

/// <summary>
/// Before the first connection: no retry, so a refused connection fails at once, or with <c>--wait</c> a retry
/// every 250 ms until the command's deadline. Once connected: the SDK's own backoff, so <c>sub</c> rides out
/// a gateway restart.
/// </summary>
internal sealed class FirstConnectRetryPolicy(bool wait) : IRetryPolicy
{
    private static readonly TimeSpan WaitingRetry = TimeSpan.FromMilliseconds(250);
    private int _connected;

    public void MarkConnected() => Volatile.Write(ref _connected, 1);

    public TimeSpan? NextRetryDelay(RetryContext context) => Volatile.Read(ref _connected) == 1
        ? ExponentialBackoffRetryPolicy.Default.NextRetryDelay(context)
        : wait ? WaitingRetry : null;
}
