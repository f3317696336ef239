using System;
using System.Globalization;
using System.Net.WebSockets;
using System.Threading;
using DataNet.Gateway.Hosting;
using DataNet.Gateway.Logging;

namespace DataNet.Gateway.Sockets;

/// <summary>
/// A timer that, a few times per <see cref="GatewayOptions.IdleTimeout"/> (at most once a second), closes sockets
/// from which nothing arrived for that long (1001), aborts sockets whose close frame did not get out within a grace
/// period (a peer that stopped reading), and forgets stale rate-limit windows. Silent (faulted) sockets are left
/// alone: they are dead links on purpose.
/// </summary>
internal sealed class IdleSweeper : IDisposable
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);
    private readonly GatewayRuntime _runtime;
    private readonly TimeSpan _idle;
    private readonly Timer _timer;

    public IdleSweeper(GatewayRuntime runtime)
    {
        _runtime = runtime;
        _idle = runtime.Options.IdleTimeout;
        var period = _idle > TimeSpan.Zero
            ? TimeSpan.FromMilliseconds(Math.Clamp(_idle.TotalMilliseconds / 4, 50, 1000))
            : TimeSpan.FromSeconds(1);
        _timer = new Timer(_ => Sweep(), null, period, period);
    }

    public void Dispose() => _timer.Dispose();

    private void Sweep()
    {
        var now = _runtime.Clock.GetUtcNow();
        var tick = Environment.TickCount64;
        foreach (var connection in _runtime.Connections.Snapshot())
        {
            if (connection.IsSilent)
            {
                continue;
            }
            if (connection.CloseQueuedAtMs is > 0 and var queuedAt)
            {
                if (tick - queuedAt > CloseGrace.TotalMilliseconds)
                {
                    connection.Abort();
                }
                continue;
            }
            var quiet = now - connection.LastHeard;
            if (_idle > TimeSpan.Zero && quiet >= _idle)
            {
                GatewayLog.IdleClosing(_runtime.Logger, connection.ConnId, Math.Round(quiet.TotalSeconds, 1));
                _runtime.Counters.IdleClose();
                connection.QueueClose(WebSocketCloseStatus.EndpointUnavailable,
                    string.Create(CultureInfo.InvariantCulture, $"idle: nothing received for {_idle.TotalSeconds:0.###} s (send hb)"));
            }
        }
        _runtime.RateLimits.Prune();
    }
}
