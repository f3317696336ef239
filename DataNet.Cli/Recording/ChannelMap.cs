using System;
using System.Collections.Generic;
using System.Linq;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Recording;

/// <summary>
/// <c>--map OLD=NEW</c>: a recorded channel published under another name. <c>OLD</c> is an exact channel, or a prefix
/// ending in <c>*</c> (<c>project.studio.*=project.local.*</c> keeps the rest of the name). An exact rule wins over a
/// prefix; of prefixes the longest wins; unmapped channels keep their name.
/// </summary>
internal sealed class ChannelMap
{
    private readonly Dictionary<string, string> _exact;
    private readonly (string From, string To)[] _prefixes;

    private ChannelMap(Dictionary<string, string> exact, (string From, string To)[] prefixes)
    {
        _exact = exact;
        _prefixes = prefixes;
    }

    public static ChannelMap Identity { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal), []);

    public static ChannelMap Parse(IEnumerable<string> rules)
    {
        var exact = new Dictionary<string, string>(StringComparer.Ordinal);
        var prefixes = new List<(string, string)>();
        foreach (var rule in rules)
        {
            var equals = rule.IndexOf('=', StringComparison.Ordinal);
            var from = equals < 0 ? string.Empty : rule[..equals].Trim();
            var to = equals < 0 ? string.Empty : rule[(equals + 1)..].Trim();
            if (from.Length == 0 || to.Length == 0)
            {
                throw Invalid(rule, "give OLD=NEW, e.g. --map project.studio.env=project.local.env");
            }

            var fromPrefix = from.EndsWith('*');
            if (fromPrefix != to.EndsWith('*') || HasInnerStar(from) || HasInnerStar(to))
            {
                throw Invalid(rule, "a prefix rule has * at the end of both sides, e.g. --map 'project.studio.*=project.local.*'");
            }

            var duplicate = fromPrefix ? prefixes.Exists(p => p.Item1 == from[..^1]) : exact.ContainsKey(from);
            if (duplicate)
            {
                throw Invalid(rule, $"'{from}' is mapped twice");
            }

            if (fromPrefix)
            {
                prefixes.Add((from[..^1], to[..^1]));
            }
            else
            {
                exact.Add(from, to);
            }
        }

        return new ChannelMap(exact, [.. prefixes.OrderByDescending(p => p.Item1.Length)]);
    }

    /// <summary>The channel to publish a message recorded on <paramref name="channel"/> to.</summary>
    public string Map(string channel)
    {
        if (_exact.TryGetValue(channel, out var mapped))
        {
            return mapped;
        }

        foreach (var (from, to) in _prefixes)
        {
            if (channel.StartsWith(from, StringComparison.Ordinal))
            {
                return string.Concat(to, channel.AsSpan(from.Length));
            }
        }

        return channel;
    }

    private static bool HasInnerStar(string side) => side.IndexOf('*', StringComparison.Ordinal) is >= 0 and var at && at < side.Length - 1;

    private static CliException Invalid(string rule, string why) => new($"--map '{rule}': {why}", ExitCodes.Usage);
}
