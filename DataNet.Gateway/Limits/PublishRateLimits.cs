using System;
using System.Collections.Concurrent;
using DataNet.Gateway.Protocol;

namespace DataNet.Gateway.Limits;

/// <summary>
/// The three publish limits of a project (<see cref="ProjectConfig"/>): per connection, per channel and per project,
/// checked in that order. A publish refused by a wider limit does not use up the narrower ones.
/// </summary>
internal sealed class PublishRateLimits(TimeProvider clock)
{
    internal const string ConnectionScope = "connection";
    internal const string ChannelScope = "channel";
    internal const string ProjectScope = "project";

    private readonly ConcurrentDictionary<string, RateWindow> _projects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Project, string Channel), RateWindow> _channels = new();

    /// <summary>Null when the publish may go out; otherwise the <c>rate_limited</c> error to send.</summary>
    public ServerError? TryAcquire(RateWindow connection, string projectId, ProjectConfig project, string channel)
    {
        var now = clock.GetUtcNow();
        long retryMs;
        if (project.MessagesPerSecond > 0 && !connection.TryAcquire(project.MessagesPerSecond, now, out retryMs))
        {
            return ServerError.RateLimited(channel, retryMs, ConnectionScope);
        }
        if (project.ChannelMessagesPerSecond > 0
            && !_channels.GetOrAdd((projectId, channel), _ => new RateWindow()).TryAcquire(project.ChannelMessagesPerSecond, now, out retryMs))
        {
            RefundIf(project.MessagesPerSecond, connection);
            return ServerError.RateLimited(channel, retryMs, ChannelScope);
        }
        if (project.ProjectMessagesPerSecond > 0
            && !_projects.GetOrAdd(projectId, _ => new RateWindow()).TryAcquire(project.ProjectMessagesPerSecond, now, out retryMs))
        {
            RefundIf(project.MessagesPerSecond, connection);
            if (project.ChannelMessagesPerSecond > 0)
            {
                _channels[(projectId, channel)].Refund();
            }
            return ServerError.RateLimited(channel, retryMs, ProjectScope);
        }
        return null;
    }

    /// <summary>Forgets channel windows that closed a while ago, so publishing to ever new channels cannot grow memory.</summary>
    public void Prune()
    {
        var stale = clock.GetUtcNow() - TimeSpan.FromSeconds(5);
        foreach (var (key, window) in _channels)
        {
            if (window.ClosesAt < stale)
            {
                _channels.TryRemove(key, out _);
            }
        }
    }

    private static void RefundIf(int limit, RateWindow window)
    {
        if (limit > 0)
        {
            window.Refund();
        }
    }
}
