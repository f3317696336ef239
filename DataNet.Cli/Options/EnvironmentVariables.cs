namespace DataNet.Cli.Options;

/// <summary>The variables the sibling DataNet SDKs read, with the same meaning.</summary>
internal static class EnvironmentVariables
{
    public const string ApiKey = "DATANET_API_KEY";
    public const string ApiUrl = "DATANET_API_URL";
    public const string WsUrl = "DATANET_WS_URL";
    public const string Channel = "DATANET_CHANNEL";
    public const string DeviceId = "DATANET_DEVICE_ID";
    public const string ClientId = "DATANET_CLIENT_ID";

    /// <summary>Set to 1 to print where an unexpected error happened (for bug reports).</summary>
    public const string Debug = "DATANET_DEBUG";
}
