using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace DataNet.Gateway.Hosting;

/// <summary>Reads a bounded request body; writes a prepared UTF-8 JSON body with a status code.</summary>
internal static class HttpJson
{
    /// <summary>The whole request body, or null when it is longer than <paramref name="maxBytes"/> (reading stops there).</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext context, int maxBytes)
    {
        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                return null;
            }
            body.Write(buffer, 0, read);
        }
        return body.ToArray();
    }

    public static Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}
