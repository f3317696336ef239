using System;
using DataNet.Td.Queues;
using DataNet.Td.Subscriptions;

namespace DataNet.Td;

public sealed partial class DataNetClient
{
    /// <summary>Channels with at least one subscription, in first-subscribed order.</summary>
    public string[] Channels => _subscriptions.Channels;

    /// <summary>Subscribes without a handler: the channel feeds <see cref="LastValues"/>, rows and <see cref="MessageReceived"/>.</summary>
    /// <param name="channel">Exact channel name (no wildcards), e.g. <c>project.&lt;id&gt;.sensor</c>.</param>
    public void Subscribe(string channel) => Add(channel, new Subscription(null, binary: false, contentType: null));

    /// <summary>Subscribes to JSON messages; <paramref name="handler"/> runs inside Poll.</summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="handler">Called for each JSON message on the channel.</param>
    public void Subscribe(string channel, Action<DataNetMessage> handler) =>
        Add(channel, new Subscription(handler ?? throw new ArgumentNullException(nameof(handler)), binary: false, contentType: null));

    /// <summary>Subscribes to binary messages without a handler (rows and <see cref="MessageReceived"/>).</summary>
    /// <param name="channel">Exact channel name.</param>
    public void SubscribeBinary(string channel) => Add(channel, new Subscription(null, binary: true, contentType: null));

    /// <summary>Subscribes to binary messages; <paramref name="handler"/> runs inside Poll.</summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="handler">Called for each binary message on the channel.</param>
    public void SubscribeBinary(string channel, Action<DataNetMessage> handler) =>
        Add(channel, new Subscription(handler ?? throw new ArgumentNullException(nameof(handler)), binary: true, contentType: null));

    /// <summary>Subscribes to binary messages, naming the content type to assume when a message carries none.</summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="handler">Called for each binary message on the channel.</param>
    /// <param name="contentType">Content type for messages without <c>ct</c> (and for legacy raw frames).</param>
    public void SubscribeBinary(string channel, Action<DataNetMessage> handler, string contentType) =>
        Add(channel, new Subscription(handler ?? throw new ArgumentNullException(nameof(handler)), binary: true, contentType: string.IsNullOrEmpty(contentType) ? null : contentType));

    /// <summary>Removes every subscription on the channel and sends <c>unsub</c>; its <see cref="LastValues"/> go too.</summary>
    /// <param name="channel">Exact channel name.</param>
    public void Unsubscribe(string channel)
    {
        ValidateChannel(channel);
        ThrowIfDisposed();
        if (_subscriptions.Remove(channel, null))
        {
            ChannelGone(channel);
        }
    }

    /// <summary>Removes one handler; <c>unsub</c> is sent only when the channel's last subscription of any kind goes.</summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="handler">The handler given to Subscribe or SubscribeBinary.</param>
    public void Unsubscribe(string channel, Action<DataNetMessage> handler)
    {
        ValidateChannel(channel);
        ThrowIfDisposed();
        if (_subscriptions.Remove(channel, handler ?? throw new ArgumentNullException(nameof(handler))))
        {
            ChannelGone(channel);
        }
    }

    /// <summary>The channel's occupancy from the gateway's latest <c>sub_ack</c>; -1 when unknown.</summary>
    /// <param name="channel">Exact channel name.</param>
    public int GetOccupancy(string channel) =>
        channel is not null && _occupancy.TryGet(channel, out var occupancy) ? occupancy : -1;

    private void Add(string channel, Subscription subscription)
    {
        ValidateChannel(channel);
        ThrowIfDisposed();
        _subscriptions.Add(channel, subscription);
        _connection.Wake();
    }

    private void ChannelGone(string channel)
    {
        _occupancy.Remove(channel);
        Enqueue(ClientEvent.ChannelRemoved(channel));
        _connection.Wake();
    }
}
