using System;
using System.Collections.Generic;

namespace DataNet.Cli.Recording;

/// <summary>
/// The first line of a recording: <c>{"format":"datanet-recording","version":1,"startedAt":"...","channels":[...],"gateway":"..."}</c>.
/// The gateway URL is stored without user info, query or fragment, so no secret travels with the file.
/// </summary>
internal sealed record RecordingHeader(int Version, DateTimeOffset StartedAt, IReadOnlyList<string> Channels, string Gateway)
{
    /// <summary>The <c>format</c> value that marks a DataNet recording.</summary>
    public const string Format = "datanet-recording";

    /// <summary>The version this tool writes and the newest it reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The URL with only scheme, host, port and path: a key in a query or a password in user info stays out of the file.</summary>
    public static string WithoutSecrets(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/')
            : "(not a URL)";
}
