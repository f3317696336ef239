using System.Collections.Generic;
using System.Linq;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Options;

/// <summary>Channels from the command line, else from <c>DATANET_CHANNEL</c> (comma-separated).</summary>
internal static class ChannelResolver
{
    public static string[] Resolve(IEnumerable<string>? given, CliConsole console)
    {
        var channels = (given ?? [])
            .SelectMany(c => c.Split(','))
            .Select(c => c.Trim())
            .Where(c => c.Length > 0)
            .Distinct()
            .ToArray();
        if (channels.Length > 0)
        {
            return channels;
        }

        var fromEnvironment = console.GetEnvironmentVariable(EnvironmentVariables.Channel);
        if (fromEnvironment is null)
        {
            throw new CliException(
                $"no channel: give one (for example demo.sensor) or set {EnvironmentVariables.Channel}",
                ExitCodes.Usage);
        }

        return Resolve([fromEnvironment], console);
    }
}
