using System;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace DataNet.Gateway.Web;

/// <summary>
/// Who may open the web page. By default only this machine: the caller's address is loopback or this machine's own
/// (a browser here using the LAN address of a gateway bound to it), and the request names <c>localhost</c> or an IP
/// address, so a web site that points a DNS name at 127.0.0.1 cannot read the page from a browser here.
/// <see cref="GatewayOptions.WebPageForNetwork"/> lifts both checks.
/// </summary>
internal static class PageAccess
{
    /// <summary>Null when the request may see the page, else why not (shown to the caller, logged).</summary>
    public static string? Refusal(HttpContext context, bool network)
    {
        if (network)
        {
            return null;
        }
        var remote = Normalize(context.Connection.RemoteIpAddress);
        if (remote is null || !(IPAddress.IsLoopback(remote) || remote.Equals(Normalize(context.Connection.LocalIpAddress))))
        {
            return "the gateway's web page answers this machine only (start the gateway with --web-network to open it to the network)";
        }
        var host = context.Request.Host.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host, out _)
            ? null
            : "the gateway's web page answers requests for localhost or an IP address only";
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
