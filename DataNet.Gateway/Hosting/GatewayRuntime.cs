using System;
using DataNet.Gateway.Auth;
using DataNet.Gateway.Limits;
using DataNet.Gateway.Routing;
using DataNet.Gateway.Sockets;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway.Hosting;

/// <summary>
/// Everything that outlives one Kestrel instance: config, signing key, connections, subscriptions,
/// limits and faults. <see cref="LocalGateway.RestartAsync"/> keeps it, so issued tokens stay valid.
/// </summary>
internal sealed class GatewayRuntime
{
    public GatewayRuntime(GatewayOptions options, GatewayConfig config, ILoggerFactory loggerFactory)
    {
        Options = options;
        Config = config;
        Clock = options.TimeProvider;
        Logger = loggerFactory.CreateLogger("DataNet.Gateway");
        Tokens = new TokenService(Clock, options.TokenLifetime, SigningKeyStore.LoadOrCreate(options.SigningKeyPath));
        Keys = new ApiKeyResolver(config);
        Connections = new ConnectionRegistry();
        Router = new ChannelRouter();
        Devices = new DeviceRegistry();
        Topics = new TopicLedger();
        Frames = new ClientFrameHandler(Router, new ChannelAccess(config, Topics), config, Clock, Logger);
        Faults = new GatewayFaults(Connections, Logger);
        Recorder = options.RecordClientFrames ? new FrameRecorder() : null;
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
    public ClientFrameHandler Frames { get; }
    public GatewayFaults Faults { get; }
    public FrameRecorder? Recorder { get; }
}
