namespace DataNet.Cli.Recording;

/// <summary>The keys of a recording's lines: the header's, then each message's (the wire's own names after <c>t</c>).</summary>
internal static class RecordingKeys
{
    public const string Format = "format";
    public const string Version = "version";
    public const string StartedAt = "startedAt";
    public const string Channels = "channels";
    public const string Gateway = "gateway";

    /// <summary>Arrival offset from the start of the recording, milliseconds.</summary>
    public const string Offset = "t";
    public const string Channel = "ch";
    public const string From = "from";
    public const string Timestamp = "ts";
    public const string Data = "d";
    public const string Binary = "bin";
    public const string Base64 = "b64";
    public const string ContentType = "ct";
    public const string Metadata = "meta";
}
