using System;
using DataNet.Gateway.Auth;
using DataNet.Gateway.Delivery;
using DataNet.Gateway.Limits;
using DataNet.Gateway.Routing;
using DataNet.Gateway.Sockets;
using DataNet.Gateway.Web;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway.Hosting;

/// <summary>
/// Everything that outlives one Kestrel instance: config, signing key, connections, subscriptions,
/// limits and faults. <see cref="LocalGateway.RestartAsync"/> keeps it, so issued tokens stay valid.
/// </summary>
internal sealed class GatewayRuntime
{
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromMinutes(10);

    public GatewayRuntime(GatewayOptions options, GatewayConfig config, ILoggerFactory loggerFactory)
    {
        Options = options;
        Config = config;
        Clock = options.TimeProvider;
        Logger = loggerFactory.CreateLogger("DataNet.Gateway");
        Tokens = new TokenService(Clock, TokenLifetime(options, config), SigningKeyStore.LoadOrCreate(options.SigningKeyPath));
        Keys = new ApiKeyResolver(config);
        Connections = new ConnectionRegistry();
        Router = new ChannelRouter();
        Devices = new DeviceRegistry();
        Topics = new TopicLedger();
        RateLimits = new PublishRateLimits(Clock);
        Counters = new GatewayCounters();
        SlowConsumers = new SlowConsumerPolicy(options.OutboxMessages, options.SlowConsumerCloseAfterDrops);
        if (options.WebPage)
        {
            WebAssets = new PageAssets();
            WebActivity = new ChannelActivity();
        }
        Frames = new ClientFrameHandler(Router, new ChannelAccess(config, Topics), RateLimits, config, Counters, Clock, Logger, WebActivity);
        Faults = new GatewayFaults(Connections, Tokens, Logger);
        Recorder = options.RecordClientFrames ? new FrameRecorder(Clock) : null;
    }

    public GatewayOptions Options { get; }
    public GatewayConfig Config { get; }
    public TimeProvider Clock { get; }
    public ILogger Logger { get; }
    public TokenService Tokens { get; }
    public ApiKeyResolver Keys { get; }
    public ConnectionRegistry Connections { get; }
    public ChannelRouter Router { get; }
    public DeviceRegistry Devices { get; }
    public TopicLedger Topics { get; }
    public PublishRateLimits RateLimits { get; }
    public GatewayCounters Counters { get; }
    public SlowConsumerPolicy SlowConsumers { get; }
    public ClientFrameHandler Frames { get; }
    public GatewayFaults Faults { get; }
    public FrameRecorder? Recorder { get; }

    /// <summary>The web page's files, loaded once; null unless <see cref="GatewayOptions.WebPage"/>.</summary>
    public PageAssets? WebAssets { get; }

    /// <summary>Per-channel counts and last messages for the web page; null (no cost when publishing) unless it is on.</summary>
    public ChannelActivity? WebActivity { get; }

    public GatewayStats Stats => Counters.Snapshot(Connections.Silenced.Value, Connections.Count);

    /// <summary>The options' lifetime (a command line's), else the config file's, else 10 minutes.</summary>
    private static TimeSpan TokenLifetime(GatewayOptions options, GatewayConfig config) =>
        options.TokenLifetime
        ?? (config.TokenLifetimeSeconds is { } seconds ? TimeSpan.FromMilliseconds(Math.Round(seconds * 1000)) : DefaultTokenLifetime);
}
