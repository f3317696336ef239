using DataNet.Td.Auth;

namespace DataNet.Cli.Options;

/// <summary>
/// Who the tool says it is: client id <c>datanet-cli</c> and a stable device id of its own (<c>cli-...</c>, kept
/// beside TouchDesigner's in the per-user DataNet folder), so presence and <c>from</c> tell it apart from TD.
/// </summary>
internal static class CliIdentity
{
    public const string DevicePrefix = "cli-";

    public static string DeviceId() => DeviceIdStore.GetOrCreate(DeviceIdStore.PathFor("cli-device-id"), DevicePrefix);
}
