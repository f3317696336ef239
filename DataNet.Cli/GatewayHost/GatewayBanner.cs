using System.IO;
using System.Threading.Tasks;
using DataNet.Cli.Commands;
using DataNet.Gateway;

namespace DataNet.Cli.GatewayHost;

/// <summary>
/// What <c>datanet gateway</c> prints once it listens: the base URLs the official SDKs take (they add
/// <c>/ws</c> themselves, so a pasted full URL would end in <c>/ws/ws</c>) and the full WebSocket URL, each labelled.
/// </summary>
internal static class GatewayBanner
{
    public static async Task WriteAsync(TextWriter output, LocalGateway gateway, GatewayOptions options)
    {
        var api = gateway.ApiUrl.ToString().TrimEnd('/');
        var ws = gateway.WsUrl.ToString().TrimEnd('/');
        await output.WriteLineAsync($"DataNet local gateway on {api}");
        await output.WriteLineAsync($"  API URL (apiUrl in the SDKs, DATANET_API_URL):   {api}");
        await output.WriteLineAsync($"  WebSocket base (wsUrl in the SDKs, they add /ws): {ws}");
        await output.WriteLineAsync($"  WebSocket endpoint (full URL):                   {ws}/ws");
        if (gateway.WebPageUrl is { } page)
        {
            await output.WriteLineAsync($"  Web page (channels, clients, live plot):         {page}{WebPageAccess(options)}");
        }
        await output.WriteLineAsync(options.ConfigPath is null
            ? "Any API key starting with ak_ is accepted (project 'local', all scopes, no limits)."
            : $"Keys, scopes and limits from {options.ConfigPath}.");
        await output.WriteLineAsync("Press Ctrl-C to stop.");
    }

    /// <summary>Who can open the page, said when the gateway itself listens beyond this machine.</summary>
    private static string WebPageAccess(GatewayOptions options) =>
        GatewayCommand.IsLoopback(options.BindAddress) ? ""
        : options.WebPageForNetwork ? " (open to the network: --web-network)"
        : " (this machine only; --web-network opens it to the network)";
}
