using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway.Hosting;
using DataNet.Gateway.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataNet.Gateway.Web;

/// <summary>
/// The web page (<see cref="GatewayOptions.WebPage"/>) under <c>/web/</c>: the embedded page and uPlot, a JSON
/// snapshot (<c>/web/api/snapshot</c>) and the live feed as Server-Sent Events (<c>/web/api/events?channel=ID</c>).
/// Every answer carries a Content-Security-Policy allowing this origin only; callers from other machines get 403
/// unless <see cref="GatewayOptions.WebPageForNetwork"/> (<see cref="PageAccess"/>).
/// </summary>
internal sealed class WebPageEndpoints
{
    /// <summary>The page loads its own files and talks to its own origin, nothing else: venues have no internet.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly GatewayRuntime _runtime;
    private readonly ChannelActivity _activity;
    private readonly PageAssets _assets;
    private readonly WebFeed _feed;
    private readonly SnapshotBuilder _snapshots;

    private WebPageEndpoints(GatewayRuntime runtime, ChannelActivity activity, PageAssets assets, WebFeed feed)
    {
        _runtime = runtime;
        _activity = activity;
        _assets = assets;
        _feed = feed;
        _snapshots = new SnapshotBuilder(runtime, activity, feed);
        feed.Snapshots = _snapshots.Build;
    }

    /// <summary>The feed's sampling loop runs (and is disposed) with the host: registered before the app is built.</summary>
    public static void AddServices(IServiceCollection services, ChannelActivity activity)
    {
        services.AddSingleton(_ => new WebFeed(activity));
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<WebFeed>());
    }

    public static void Map(WebApplication app, GatewayRuntime runtime, ChannelActivity activity, PageAssets assets) =>
        new WebPageEndpoints(runtime, activity, assets, app.Services.GetRequiredService<WebFeed>()).Map(app);

    private void Map(IEndpointRouteBuilder app)
    {
        // Routing matches /web and /web/ alike; the page's relative links need the slash.
        app.MapGet("/web", Guarded(context =>
        {
            if (context.Request.Path.Value?.EndsWith('/') == true)
            {
                return ServeFileAsync(context, "index.html");
            }
            context.Response.Redirect("/web/", permanent: true);
            return Task.CompletedTask;
        }));
        app.MapGet("/web/{file}", Guarded(context => ServeFileAsync(context, (string)context.Request.RouteValues["file"]!)));
        app.MapGet("/web/api/snapshot", Guarded(context =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return HttpJson.WriteAsync(context, StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(_snapshots.Build(), WebJson.Options));
        }));
        app.MapGet("/web/api/events", Guarded(StreamEventsAsync));
    }

    private RequestDelegate Guarded(RequestDelegate serve) => context =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (PageAccess.Refusal(context, _runtime.Options.WebPageForNetwork) is { } refusal)
        {
            GatewayLog.WebPageRefused(_runtime.Logger, refusal);
            return PlainAsync(context, StatusCodes.Status403Forbidden, refusal);
        }
        return serve(context);
    };

    private Task ServeFileAsync(HttpContext context, string file)
    {
        if (_assets.Find(file) is not { } asset)
        {
            return PlainAsync(context, StatusCodes.Status404NotFound, "no such file on the gateway's web page");
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Bytes.Length;
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.Body.WriteAsync(asset.Bytes, 0, asset.Bytes.Length, context.RequestAborted);
    }

    /// <summary>
    /// The live feed: a snapshot at once, then what the sampling loop queues for this browser, until the browser
    /// leaves or the gateway stops. Only this request waits for the browser.
    /// </summary>
    private async Task StreamEventsAsync(HttpContext context)
    {
        var watched = int.TryParse(context.Request.Query["channel"], out var id) ? _activity.Find(id) : null;
        if (_feed.TryJoin(watched) is not { } browser)
        {
            await PlainAsync(context, StatusCodes.Status503ServiceUnavailable,
                $"{WebFeed.MaxBrowsers} browsers already read this gateway's live feed").ConfigureAwait(false);
            return;
        }
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/event-stream; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            var body = context.Response.Body;
            await body.WriteAsync(WebFeed.Event("snapshot", _snapshots.Build()), ended.Token).ConfigureAwait(false);
            await body.FlushAsync(ended.Token).ConfigureAwait(false);
            await foreach (var serverSentEvent in browser.Events.ReadAllAsync(ended.Token).ConfigureAwait(false))
            {
                await body.WriteAsync(serverSentEvent, ended.Token).ConfigureAwait(false);
                await body.FlushAsync(ended.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The browser left, or the gateway stops.
        }
        finally
        {
            _feed.Leave(browser);
        }
    }

    private static Task PlainAsync(HttpContext context, int status, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, 0, bytes.Length, context.RequestAborted);
    }
}
