using System.Collections.Generic;

namespace DataNet.Gateway.Web;

/// <summary>
/// <c>GET /web/api/snapshot</c> and the feed's <c>snapshot</c> event: what the page shows, bounded
/// (<see cref="SnapshotBuilder.MaxRows"/> channels and clients; the rest counted). Every string a client chose is
/// escaped and cut; ages are milliseconds, so the browser's clock does not matter.
/// </summary>
internal sealed record GatewaySnapshot(
    long UptimeMs,
    string Access,
    GatewayStats Stats,
    IReadOnlyList<ChannelRow> Channels,
    int ChannelsNotShown,
    long UntrackedMessages,
    IReadOnlyList<ClientRow> Clients,
    int ClientsNotShown,
    FeedStatus Feed);

/// <summary>
/// One channel in use (subscribed now, or published to since start). <see cref="Id"/> names it to the feed
/// (<c>?channel=</c>); null until the first message.
/// </summary>
internal sealed record ChannelRow(
    int? Id,
    string Project,
    string Channel,
    int Subscribers,
    IReadOnlyList<string> Members,
    long Messages,
    double PerSecond,
    long? LastAgeMs,
    MessagePreview? Last);

/// <summary>One open connection and its presence: who it says it is, what it subscribes to, how long it has been quiet.</summary>
internal sealed record ClientRow(
    string ConnId,
    string? DeviceId,
    string? ClientId,
    string? DeviceName,
    string Project,
    IReadOnlyList<string> Channels,
    long ConnectedForMs,
    long IdleMs);

/// <summary>The live feed: browsers reading it, events dropped for slow ones, the sampling rate per channel.</summary>
internal sealed record FeedStatus(int Browsers, int MaxBrowsers, long DroppedEvents, int SamplesPerSecond, int QueueEvents);
