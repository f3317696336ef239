using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using DataNet.Gateway.Hosting;
using DataNet.Gateway.Logging;
using DataNet.Gateway.Sockets;

namespace DataNet.Gateway.Web;

/// <summary>Builds a <see cref="GatewaySnapshot"/> from the router, the connections and the channel activity.</summary>
internal sealed class SnapshotBuilder(GatewayRuntime runtime, ChannelActivity activity, WebFeed feed)
{
    /// <summary>Most channels and most clients listed; the rest are counted.</summary>
    public const int MaxRows = 200;

    /// <summary>Most members listed per channel, and most channels per client.</summary>
    private const int MaxNames = 32;

    private readonly long _startedAt = Stopwatch.GetTimestamp();

    public GatewaySnapshot Build()
    {
        var now = Stopwatch.GetTimestamp();
        var (channels, channelsNotShown, subscriptions) = Channels(now);
        var (clients, clientsNotShown) = Clients(subscriptions);
        return new GatewaySnapshot(
            (long)Stopwatch.GetElapsedTime(_startedAt, now).TotalMilliseconds,
            runtime.Options.WebPageForNetwork ? "network" : "this machine only",
            runtime.Stats,
            channels, channelsNotShown, activity.UntrackedMessages,
            clients, clientsNotShown,
            new FeedStatus(feed.Browsers, WebFeed.MaxBrowsers, feed.DroppedEvents, WebFeed.SamplesPerSecond, FeedSubscriber.QueueEvents));
    }

    private (List<ChannelRow> Rows, int NotShown, Dictionary<GatewayConnection, List<string>> Subscriptions) Channels(long now)
    {
        var subscribed = new Dictionary<(string Project, string Channel), int>();
        var byConnection = new Dictionary<GatewayConnection, List<string>>();
        foreach (var (key, subscribers) in runtime.Router.Subscriptions)
        {
            subscribed[key] = subscribers.Length;
            foreach (var connection in subscribers)
            {
                if (!byConnection.TryGetValue(connection, out var list))
                {
                    byConnection[connection] = list = [];
                }
                list.Add(key.Channel);
            }
        }
        var traffic = activity.Channels.ToDictionary(t => (t.Project, t.Channel));
        var keys = subscribed.Keys.Union(traffic.Keys)
            .OrderBy(k => k.Project, StringComparer.Ordinal).ThenBy(k => k.Channel, StringComparer.Ordinal)
            .ToList();
        var rows = new List<ChannelRow>(Math.Min(keys.Count, MaxRows));
        foreach (var key in keys.Take(MaxRows))
        {
            var t = traffic.GetValueOrDefault(key);
            var last = t?.Last;
            rows.Add(new ChannelRow(
                t?.Id,
                LogText.Escape(key.Project)!,
                LogText.Escape(key.Channel)!,
                subscribed.GetValueOrDefault(key),
                Names(runtime.Router.Members(key.Project, key.Channel)),
                t?.Messages ?? 0,
                Math.Round(t?.PerSecond ?? 0, 1),
                last is null ? null : (long)Stopwatch.GetElapsedTime(last.ArrivedTimestamp, now).TotalMilliseconds,
                last is null ? null : MessagePreview.Read(last.Envelope)));
        }
        return (rows, keys.Count - rows.Count, byConnection);
    }

    private (List<ClientRow> Rows, int NotShown) Clients(Dictionary<GatewayConnection, List<string>> subscriptions)
    {
        var now = runtime.Clock.GetUtcNow();
        // In connection order: conn_2 before conn_10.
        var open = runtime.Connections.Snapshot()
            .OrderBy(c => c.ConnectedAt).ThenBy(c => c.ConnId.Length).ThenBy(c => c.ConnId, StringComparer.Ordinal).ToList();
        var rows = open.Take(MaxRows).Select(c => new ClientRow(
            c.ConnId,
            LogText.Escape(c.Identity.DeviceId),
            LogText.Escape(c.Identity.ClientId),
            LogText.Escape(c.Identity.DeviceName),
            LogText.Escape(c.Identity.ProjectId)!,
            Names(subscriptions.GetValueOrDefault(c) ?? []),
            (long)(now - c.ConnectedAt).TotalMilliseconds,
            (long)(now - c.LastHeard).TotalMilliseconds)).ToList();
        return (rows, open.Count - rows.Count);
    }

    /// <summary>At most <see cref="MaxNames"/>, escaped, in order, and a last entry counting the rest.</summary>
    private static List<string> Names(IReadOnlyList<string> names)
    {
        var shown = names.Take(MaxNames).Select(n => LogText.Escape(n)!).ToList();
        if (names.Count > MaxNames)
        {
            shown.Add($"... and {names.Count - MaxNames} more");
        }
        return shown;
    }
}
