using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Gateway.Sockets;

/// <summary>Every open, handshaken connection of one gateway; hands out connIds.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, GatewayConnection> _open = new(System.StringComparer.Ordinal);
    private long _nextId;

    public int Count => _open.Count;

    /// <summary>Frames lost to the silent fault, both directions, since the gateway started.</summary>
    public SilenceCounter Silenced { get; } = new();

    public string NextConnId() =>
        "conn_" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    public void Add(GatewayConnection connection) => _open[connection.ConnId] = connection;

    public void Remove(GatewayConnection connection) => _open.TryRemove(connection.ConnId, out _);

    public ICollection<GatewayConnection> Snapshot() => _open.Values;

    /// <summary>The open connections <paramref name="selector"/> matches, as a list taken now.</summary>
    public List<GatewayConnection> Select(ConnectionSelector selector)
    {
        var selected = new List<GatewayConnection>();
        foreach (var connection in _open.Values)
        {
            if (selector.Matches(connection.ConnId, connection.Identity.DeviceId))
            {
                selected.Add(connection);
            }
        }
        return selected;
    }

    public void AbortAll()
    {
        foreach (var connection in _open.Values)
        {
            connection.Abort();
        }
    }

    /// <summary>
    /// Sends every open connection a close frame at once and completes when each is written (or the
    /// connection is already gone); connections that cannot take one are aborted.
    /// </summary>
    public Task CloseAllAsync(WebSocketCloseStatus status, string reason)
    {
        var written = new List<Task>();
        foreach (var connection in _open.Values)
        {
            written.Add(connection.CloseForStopAsync(status, reason));
        }
        return Task.WhenAll(written);
    }

    /// <summary>Queues a frame for each of <paramref name="connections"/>; completes once each has written (or dropped) it.</summary>
    public static Task SendEachAsync(IEnumerable<GatewayConnection> connections, System.Func<OutgoingFrame> frame)
    {
        var written = new List<Task>();
        foreach (var connection in connections)
        {
            var f = frame();
            if (connection.TryEnqueue(f) && f.Written is { } tcs)
            {
                written.Add(tcs.Task);
            }
        }
        return Task.WhenAll(written);
    }
}
