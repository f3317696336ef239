using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway.Auth;
using DataNet.Gateway.Hosting;
using DataNet.Gateway.Logging;
using DataNet.Gateway.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway;

/// <summary>
/// A local DataNet-compatible gateway (REST auth and presence plus the WebSocket pub/sub protocol),
/// started in-process by tests or by the <c>DataNet.Gateway</c> program. Loopback only unless told otherwise.
/// </summary>
public sealed class LocalGateway : IAsyncDisposable
{
    private const string StopReason = "gateway stopping";

    /// <summary>How long a stop waits for close frames to go out, then for clients to answer, before ending TCP regardless.</summary>
    private static readonly TimeSpan CloseFrameDeadline = TimeSpan.FromMilliseconds(500);

    private readonly GatewayRuntime _runtime;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IPAddress _address;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private WebApplication? _app;
    private IdleSweeper? _sweeper;
    private bool _disposed;

    private LocalGateway(GatewayOptions options, GatewayConfig config, IPAddress address, ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        _address = address;
        _runtime = new GatewayRuntime(options, config, loggerFactory);
        // Clients on this machine reach a wildcard bind through loopback.
        var host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : address;
        Host = host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host.ToString();
    }

    /// <summary>The port being served (the real one when <see cref="GatewayOptions.Port"/> was 0).</summary>
    public int Port { get; private set; }

    /// <summary>Base URL of the REST API, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public Uri ApiUrl => new($"http://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Base URL of the socket, e.g. <c>ws://127.0.0.1:8080</c>; the endpoint is <c>{WsUrl}/ws</c>.</summary>
    public Uri WsUrl => new($"ws://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The web page, e.g. <c>http://127.0.0.1:8080/web/</c>; null unless <see cref="GatewayOptions.WebPage"/>.</summary>
    public Uri? WebPageUrl => _runtime.Options.WebPage ? new Uri(ApiUrl, "/web/") : null;

    /// <summary>Fault switches (dead links, drops, junk frames, failing auth).</summary>
    public GatewayFaults Faults => _runtime.Faults;

    /// <summary>What the gateway refused, dropped and closed so far (slow consumers, invalid messages, idle sockets).</summary>
    public GatewayStats Stats => _runtime.Stats;

    /// <summary>Open, handshaken WebSocket connections.</summary>
    public int ConnectionCount => _runtime.Connections.Count;

    /// <summary>
    /// Every client frame handled so far, in arrival order (a copy). Empty unless
    /// <see cref="GatewayOptions.RecordClientFrames"/> is set.
    /// </summary>
    public IReadOnlyList<RecordedFrame> ClientFrames => _runtime.Recorder?.Snapshot() ?? [];

    /// <summary>Forgets the recorded client frames.</summary>
    public void ClearClientFrames() => _runtime.Recorder?.Clear();

    /// <summary>How many connections subscribe to <paramref name="channel"/> in <paramref name="projectId"/> right now.</summary>
    public int GetOccupancy(string channel, string projectId = GatewayConfig.DefaultProject) =>
        _runtime.Router.Subscribers(projectId, channel).Length;

    /// <summary>True between a start and a stop.</summary>
    public bool IsRunning => Volatile.Read(ref _app) is not null;

    private string Host { get; }

    /// <summary>Starts a gateway and returns once it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">The config is invalid or the address cannot be bound.</exception>
    public static async Task<LocalGateway> StartAsync(GatewayOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "Port must be 0..65535.");
        }
        if (options.MaxFrameBytes < 64)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxFrameBytes, "MaxFrameBytes must be at least 64.");
        }
        if (options.TokenLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TokenLifetime, "TokenLifetime must be positive.");
        }
        if (options.OutboxMessages < 1 || options.SlowConsumerCloseAfterDrops < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "OutboxMessages must be at least 1 and SlowConsumerCloseAfterDrops not negative.");
        }
        if (options.IdleTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IdleTimeout, "IdleTimeout must not be negative.");
        }
        var address = ParseAddress(options.BindAddress);
        if (options.FaultControlsOverHttp && !IPAddress.IsLoopback(address))
        {
            throw new InvalidOperationException(
                $"Fault controls over HTTP are served on a loopback bind only, not on {options.BindAddress}: anyone on the network could use them.");
        }
        var config = options.Config ?? (options.ConfigPath is { } path ? GatewayConfigLoader.Load(path) : new GatewayConfig());
        GatewayConfigLoader.Validate(config, options.Config is null ? options.ConfigPath ?? "defaults" : "in-code config");
        var loggerFactory = CreateLoggerFactory(options);
        var gateway = new LocalGateway(options, config, address, loggerFactory);
        try
        {
            await gateway.StartOnPortAsync(options.Port, ct).ConfigureAwait(false);
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return gateway;
    }

    /// <summary>
    /// Stops serving: open sockets get a close frame (1001, going away) at once, and TCP ends when the client
    /// answers it or half a second later; new
    /// connections are refused until <see cref="RestartAsync"/>. Idempotent.
    /// </summary>
    public async Task StopAsync()
    {
        if (_disposed)
        {
            return;
        }
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops (when running) and starts again on the same port, keeping keys, config and the signing key.</summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
            await StartCoreAsync(Port, ct).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Issues a token the way <c>POST /auth/token</c> would, e.g. an expired one with a negative
    /// <paramref name="lifetime"/>. Default lifetime: <see cref="GatewayOptions.TokenLifetime"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The key is unknown to this gateway.</exception>
    public string IssueToken(string apiKey, string? deviceId = null, TimeSpan? lifetime = null, string? clientId = null, string? deviceName = null)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        if (!_runtime.Keys.TryResolve(apiKey, out var key))
        {
            throw new ArgumentException("Unknown API key.", nameof(apiKey));
        }
        if ((IdentityFields.Check(nameof(deviceId), deviceId) ?? IdentityFields.Check(nameof(clientId), clientId)
            ?? IdentityFields.Check(nameof(deviceName), deviceName)) is { } bad)
        {
            throw new ArgumentException(bad + ".");
        }
        return _runtime.Tokens.Issue(new TokenGrant(key, deviceId, clientId, deviceName), lifetime);
    }

    /// <summary>Stops the gateway and releases the port and the loggers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        await StopAsync().ConfigureAwait(false);
        _disposed = true;
        _loggerFactory.Dispose();
        _lifecycle.Dispose();
    }

    private async Task StartOnPortAsync(int port, CancellationToken ct)
    {
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await StartCoreAsync(port, ct).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task StartCoreAsync(int port, CancellationToken ct)
    {
        if (_app is not null)
        {
            return;
        }
        if (!IPAddress.IsLoopback(_address))
        {
            GatewayLog.NotLoopback(_runtime.Logger, _address.ToString());
        }
        try
        {
            var (app, bound) = await GatewayApp.StartAsync(_runtime, _address, port, _loggerFactory, ct).ConfigureAwait(false);
            Port = bound;
            Volatile.Write(ref _app, app);
            _sweeper = new IdleSweeper(_runtime);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"Cannot listen on {_address}:{port}: {e.Message}", e);
        }
        GatewayLog.Listening(_runtime.Logger, ApiUrl.ToString().TrimEnd('/'), WsUrl + "ws");
        if (WebPageUrl is { } page)
        {
            GatewayLog.WebPageServed(_runtime.Logger, page.ToString(), _runtime.Options.WebPageForNetwork ? "open to the network" : "this machine only");
        }
    }

    private async Task StopCoreAsync()
    {
        var app = _app;
        if (app is null)
        {
            return;
        }
        Volatile.Write(ref _app, null);
        _sweeper?.Dispose();
        _sweeper = null;
        GatewayLog.Stopping(_runtime.Logger, _runtime.Connections.Count);
        // Every client learns at once (1001, going away); clients answer at once too (every SDK does), and
        // whoever has not within a short grace is cut off: a stopping gateway waits for nobody.
        try
        {
            await _runtime.Connections.CloseAllAsync(WebSocketCloseStatus.EndpointUnavailable, StopReason)
                .WaitAsync(CloseFrameDeadline).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A socket whose send is stuck gets no close frame: aborted below.
        }
        using (var grace = new CancellationTokenSource(CloseFrameDeadline))
        {
            try
            {
                await app.StopAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _runtime.Connections.AbortAll();
        await app.DisposeAsync().ConfigureAwait(false);
        GatewayLog.Stopped(_runtime.Logger);
    }

    private static IPAddress ParseAddress(string bindAddress)
    {
        if (string.Equals(bindAddress, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }
        return IPAddress.TryParse(bindAddress, out var address)
            ? address
            : throw new ArgumentException($"BindAddress '{bindAddress}' is not an IP address.", nameof(bindAddress));
    }

    private static ILoggerFactory CreateLoggerFactory(GatewayOptions options) => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(options.MinimumLogLevel);
        // ASP.NET's own request logs add nothing here; keep warnings and errors.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System", LogLevel.Warning);
        // The host logs a failed start with its stack trace; StartAsync reports it as one exception instead.
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        if (options.LogToConsole)
        {
            if (options.LogAsJson)
            {
                logging.AddJsonConsole();
            }
            else
            {
                logging.AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss.fff ";
                });
            }
        }
        if (options.LoggerProvider is { } provider)
        {
            logging.AddProvider(provider);
        }
    });
}
