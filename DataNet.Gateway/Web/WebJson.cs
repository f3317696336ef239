using System.Text.Json;

namespace DataNet.Gateway.Web;

/// <summary>How the page's JSON is written: camelCase, compact (one line per Server-Sent Event).</summary>
internal static class WebJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
