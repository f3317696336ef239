using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace DataNet.Gateway.Hosting;

/// <summary>Writes a prepared UTF-8 JSON body with a status code.</summary>
internal static class HttpJson
{
    public static Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}
