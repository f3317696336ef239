using System;

namespace DataNet.Td;

/// <summary>WebSocket URL normalisation: <c>wss://h</c>, <c>wss://h/</c> and <c>wss://h/ws</c> all become <c>wss://h/ws</c>.</summary>
internal static class WsUrlNormalizer
{
    public static Uri Normalize(string wsUrl)
    {
        if (string.IsNullOrWhiteSpace(wsUrl) || !Uri.TryCreate(wsUrl.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"WsUrl '{wsUrl}' is not an absolute URL (expected e.g. wss://ws.datanet.art).", nameof(wsUrl));
        }

        if (uri.Scheme != "ws" && uri.Scheme != "wss")
        {
            throw new ArgumentException($"WsUrl must start with ws:// or wss:// (got '{uri.Scheme}://').", nameof(wsUrl));
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/ws", StringComparison.Ordinal))
        {
            path += "/ws";
        }

        return new UriBuilder(uri) { Path = path, Query = string.Empty, Fragment = string.Empty }.Uri;
    }
}

/// <summary>REST base URL without a trailing slash, so paths join cleanly.</summary>
internal static class RestUrl
{
    public static string Base(string apiUrl)
    {
        if (string.IsNullOrWhiteSpace(apiUrl) || !Uri.TryCreate(apiUrl.Trim(), UriKind.Absolute, out var uri) ||
            (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new ArgumentException($"ApiUrl '{apiUrl}' must be an absolute http:// or https:// URL.", nameof(apiUrl));
        }

        return apiUrl.Trim().TrimEnd('/');
    }
}
