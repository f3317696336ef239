using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway.Auth;
using DataNet.Gateway.Faults;
using DataNet.Gateway.Presence;
using DataNet.Gateway.Sockets;
using DataNet.Gateway.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway.Hosting;

/// <summary>Builds and starts one Kestrel instance serving the three endpoints over a <see cref="GatewayRuntime"/>.</summary>
internal static class GatewayApp
{
    public static async Task<(WebApplication App, int Port)> StartAsync(
        GatewayRuntime runtime, IPAddress address, int port, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(GatewayApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(3));
        if (runtime.WebActivity is { } activity)
        {
            WebPageEndpoints.AddServices(builder.Services, activity);
        }

        var app = builder.Build();
        app.UseWebSockets();
        app.MapPost("/auth/token", new RequestDelegate(new AuthTokenEndpoint(runtime).HandleAsync));
        app.Map("/ws", new RequestDelegate(new WebSocketEndpoint(runtime).HandleAsync));
        app.MapGet("/presence", new RequestDelegate(new PresenceEndpoint(runtime).HandleAsync));
        if (runtime.Options.FaultControlsOverHttp)
        {
            FaultControlEndpoints.Map(app, runtime);
        }
        if (runtime.WebActivity is { } webActivity && runtime.WebAssets is { } webAssets)
        {
            WebPageEndpoints.Map(app, runtime, webActivity, webAssets);
        }
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var bound = new Uri(app.Urls.First()).Port;
        return (app, bound);
    }
}
