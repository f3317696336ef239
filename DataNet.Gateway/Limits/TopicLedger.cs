using System.Collections.Generic;

namespace DataNet.Gateway.Limits;

/// <summary>
/// The distinct channels each project has used (subscribed or published) since the gateway started,
/// for <c>topic_limit_reached</c>: the first <c>TopicLimit</c> channels are admitted, later ones are not.
/// </summary>
internal sealed class TopicLedger
{
    private readonly Dictionary<string, HashSet<string>> _channels = [];
    private readonly object _gate = new();

    public bool TryAdmit(string project, string channel, int limit)
    {
        if (limit <= 0)
        {
            return true;
        }
        lock (_gate)
        {
            if (!_channels.TryGetValue(project, out var used))
            {
                used = new HashSet<string>(System.StringComparer.Ordinal);
                _channels[project] = used;
            }
            if (used.Contains(channel))
            {
                return true;
            }
            if (used.Count >= limit)
            {
                return false;
            }
            used.Add(channel);
            return true;
        }
    }
}
