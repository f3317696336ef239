using System.Globalization;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Options;

/// <summary>Port numbers as every command takes them: 0 means "pick a free one".</summary>
internal static class PortOption
{
    public static int Validate(int port) => port is >= 0 and <= 65535
        ? port
        : throw new CliException(
            string.Create(CultureInfo.InvariantCulture, $"--port: {port} is not a TCP port (0 to 65535; 0 picks a free one)"),
            ExitCodes.Usage);
}
