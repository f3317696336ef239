using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Td.Http;

/// <summary>
/// A REST answer read with a size bound: a server (or a captive portal, or a proxy) can send anything, and a
/// 256 MiB body must not be read whole. Also says whether the answer claims to be JSON.
/// </summary>
internal sealed class RestResponse
{
    /// <summary>Largest body read: 64 KiB. A DataNet token (a JWT with scopes and prefixes) is a few KiB at most.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private RestResponse(int status, bool isSuccess, string? mediaType, string? body)
    {
        Status = status;
        IsSuccess = isSuccess;
        MediaType = mediaType;
        Body = body;
    }

    public int Status { get; }

    public bool IsSuccess { get; }

    /// <summary>The Content-Type's media type, e.g. <c>text/html</c>; null when the server sent none.</summary>
    public string? MediaType { get; }

    /// <summary>The body as UTF-8 text; null when it was larger than <see cref="MaxBodyBytes"/> (not read further).</summary>
    public string? Body { get; }

    /// <summary>True unless the server said the body is something other than JSON (no Content-Type is given the benefit of the doubt).</summary>
    public bool ClaimsJson =>
        MediaType is null || MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
        MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Sends the request (headers first) and reads at most <see cref="MaxBodyBytes"/> of the body.</summary>
    public static async Task<RestResponse> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancel)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        var body = await ReadBoundedAsync(response.Content, cancel).ConfigureAwait(false);
        return new RestResponse((int)response.StatusCode, response.IsSuccessStatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    private static async Task<string?> ReadBoundedAsync(HttpContent content, CancellationToken cancel)
    {
        if (content.Headers.ContentLength is > MaxBodyBytes)
        {
            return null;
        }

        using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
        using var kept = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, cancel).ConfigureAwait(false)) > 0)
        {
            if (kept.Length + read > MaxBodyBytes)
            {
                return null;
            }

            kept.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }
}
