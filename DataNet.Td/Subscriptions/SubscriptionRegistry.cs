using System;
using System.Collections.Generic;
using DataNet.Td.Protocol;

namespace DataNet.Td.Subscriptions;

/// <summary>One subscription: JSON or binary, with or without a handler.</summary>
internal sealed class Subscription
{
    public Subscription(Action<DataNetMessage>? handler, bool binary, string? contentType)
    {
        Handler = handler;
        Binary = binary;
        ContentType = contentType;
    }

    public Action<DataNetMessage>? Handler { get; }

    public bool Binary { get; }

    public string? ContentType { get; }
}

/// <summary>
/// The desired subscriptions and the sub/unsub envelopes not sent yet, under one lock so a new session's
/// resubscribe and a concurrent Subscribe cannot interleave. <c>sub</c> goes out when a channel gets its first
/// subscription of any kind, <c>unsub</c> when it loses its last; after every <c>connected</c>, one <c>sub</c> per
/// channel in first-subscribed order (deduplicated across JSON and binary).
/// </summary>
internal sealed class SubscriptionRegistry
{
    private static readonly Subscription[] None = Array.Empty<Subscription>();

    private readonly object _gate = new();
    private readonly Dictionary<string, Subscription[]> _byChannel = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();
    private readonly LinkedList<string> _control = new();

    public string[] Channels
    {
        get
        {
            lock (_gate)
            {
                return _order.ToArray();
            }
        }
    }

    public void Add(string channel, Subscription subscription)
    {
        lock (_gate)
        {
            if (_byChannel.TryGetValue(channel, out var existing))
            {
                foreach (var s in existing)
                {
                    if (s.Binary == subscription.Binary && Equals(s.Handler, subscription.Handler) && s.ContentType == subscription.ContentType)
                    {
                        return;
                    }
                }

                var grown = new Subscription[existing.Length + 1];
                existing.CopyTo(grown, 0);
                grown[existing.Length] = subscription;
                _byChannel[channel] = grown;
                return;
            }

            _byChannel[channel] = new[] { subscription };
            _order.Add(channel);
            _control.AddLast(ClientEnvelopes.Subscribe(channel));
        }
    }

    /// <summary>Removes subscriptions with this handler (null: all); true when the channel lost its last one.</summary>
    public bool Remove(string channel, Action<DataNetMessage>? handler)
    {
        lock (_gate)
        {
            if (!_byChannel.TryGetValue(channel, out var existing))
            {
                return false;
            }

            var kept = new List<Subscription>(existing.Length);
            foreach (var s in existing)
            {
                if (handler is not null && !Equals(s.Handler, handler))
                {
                    kept.Add(s);
                }
            }

            if (kept.Count > 0)
            {
                _byChannel[channel] = kept.ToArray();
                return false;
            }

            _byChannel.Remove(channel);
            _order.Remove(channel);
            _control.AddLast(ClientEnvelopes.Unsubscribe(channel));
            return true;
        }
    }

    public Subscription[] Get(string channel)
    {
        lock (_gate)
        {
            return _byChannel.TryGetValue(channel, out var subs) ? subs : None;
        }
    }

    public bool Contains(string channel)
    {
        lock (_gate)
        {
            return _byChannel.ContainsKey(channel);
        }
    }

    /// <summary>The first content type a binary subscription on this channel declared.</summary>
    public string? BinaryContentType(string channel)
    {
        foreach (var s in Get(channel))
        {
            if (s.Binary && s.ContentType is not null)
            {
                return s.ContentType;
            }
        }

        return null;
    }

    /// <summary>The only channel with a binary subscription, for legacy raw frames; null with none or several.</summary>
    public string? SingleBinaryChannel(out int binaryChannels)
    {
        lock (_gate)
        {
            string? found = null;
            binaryChannels = 0;
            foreach (var channel in _order)
            {
                foreach (var s in _byChannel[channel])
                {
                    if (s.Binary)
                    {
                        binaryChannels++;
                        found = channel;
                        break;
                    }
                }
            }

            return binaryChannels == 1 ? found : null;
        }
    }

    /// <summary>After <c>connected</c>: pending sub/unsub are replaced by one <c>sub</c> per channel.</summary>
    public void ResetForSession()
    {
        lock (_gate)
        {
            _control.Clear();
            foreach (var channel in _order)
            {
                _control.AddLast(ClientEnvelopes.Subscribe(channel));
            }
        }
    }

    public bool TryTakeControl(out string envelope)
    {
        lock (_gate)
        {
            if (_control.First is { } first)
            {
                _control.RemoveFirst();
                envelope = first.Value;
                return true;
            }
        }

        envelope = string.Empty;
        return false;
    }

    public void RequeueControl(string envelope)
    {
        lock (_gate)
        {
            _control.AddFirst(envelope);
        }
    }
}
