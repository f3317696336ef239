using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using DataNet.Gateway.Sockets;

namespace DataNet.Gateway.Routing;

/// <summary>
/// Who subscribes to what, per project and exact channel name (no wildcards). Readers get an immutable
/// snapshot, so fan-out never holds a lock.
/// </summary>
internal sealed class ChannelRouter
{
    private readonly ConcurrentDictionary<(string Project, string Channel), ImmutableArray<GatewayConnection>> _subscribers = new();
    private readonly object _gate = new();

    /// <summary>Adds the subscription (idempotent) and returns the channel's occupancy afterwards.</summary>
    public int Subscribe(GatewayConnection connection, string channel)
    {
        var key = (connection.Identity.ProjectId, channel);
        lock (_gate)
        {
            var current = _subscribers.GetValueOrDefault(key, ImmutableArray<GatewayConnection>.Empty);
            if (!current.Contains(connection))
            {
                current = current.Add(connection);
                _subscribers[key] = current;
            }
            connection.Channels.Add(channel);
            return current.Length;
        }
    }

    public void Unsubscribe(GatewayConnection connection, string channel)
    {
        lock (_gate)
        {
            RemoveLocked(connection, channel);
            connection.Channels.Remove(channel);
        }
    }

    public void RemoveAll(GatewayConnection connection)
    {
        lock (_gate)
        {
            foreach (var channel in connection.Channels)
            {
                RemoveLocked(connection, channel);
            }
            connection.Channels.Clear();
        }
    }

    public ImmutableArray<GatewayConnection> Subscribers(string project, string channel) =>
        _subscribers.GetValueOrDefault((project, channel), ImmutableArray<GatewayConnection>.Empty);

    /// <summary>Every channel with a subscriber now, with its subscribers (safe to enumerate while others subscribe).</summary>
    public IEnumerable<KeyValuePair<(string Project, string Channel), ImmutableArray<GatewayConnection>>> Subscriptions => _subscribers;

    /// <summary>The <c>from</c> id of every subscribed connection, in subscription order.</summary>
    public IReadOnlyList<string> Members(string project, string channel)
    {
        var subscribers = Subscribers(project, channel);
        var members = new List<string>(subscribers.Length);
        foreach (var connection in subscribers)
        {
            members.Add(connection.From);
        }
        return members;
    }

    private void RemoveLocked(GatewayConnection connection, string channel)
    {
        var key = (connection.Identity.ProjectId, channel);
        if (!_subscribers.TryGetValue(key, out var current))
        {
            return;
        }
        var remaining = current.Remove(connection);
        if (remaining.IsEmpty)
        {
            _subscribers.TryRemove(key, out _);
        }
        else
        {
            _subscribers[key] = remaining;
        }
    }
}
