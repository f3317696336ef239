using System;
using System.Threading;
using DataNet.Td.Auth;
using DataNet.Td.Connection;
using DataNet.Td.Http;
using DataNet.Td.Presence;
using DataNet.Td.Queues;
using DataNet.Td.Secrets;
using DataNet.Td.Subscriptions;
using DataNet.Td.Values;

namespace DataNet.Td;

/// <summary>
/// The DataNet client for TouchDesigner. Every method may be called from any thread; the socket, auth and retries run
/// on one background loop; handlers and events run only inside <see cref="Poll()"/>, on the thread that calls it.
/// The API key and the token never appear in <see cref="Status"/>, errors, exceptions or <see cref="object.ToString"/>.
/// </summary>
public sealed partial class DataNetClient : IDisposable
{
    private readonly DataNetOptions _options;
    private readonly RestChannel _http;
    private readonly TokenProvider _tokens;
    private readonly TokenClient _tokenClient;
    private readonly PresenceClient _presence;
    private readonly SubscriptionRegistry _subscriptions = new();
    private readonly Inbox _inbox;
    private readonly Outbox _outbox;
    private readonly RowBuffer _rows;
    private readonly ConnectionSupervisor _connection;
    private readonly TimeProvider _time;
    private readonly OccupancyTable _occupancy = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly string? _deviceIdPath;
    private string? _deviceId;
    private int _disposed;

    /// <summary>Creates a client; nothing connects until <see cref="Connect"/>.</summary>
    /// <param name="options">The settings (see <see cref="DataNetOptions"/> for defaults).</param>
    /// <exception cref="ArgumentException">An option is out of range or a URL is malformed.</exception>
    public DataNetClient(DataNetOptions options)
        : this(options, new ClientWebSocketTransportFactory(options?.MaxReceiveFrameBytes ?? 0, TimeProvider.System), TimeProvider.System, null)
    {
    }

    // time: every timer and timestamp of the client; tests pass a virtual clock.
    internal DataNetClient(DataNetOptions options, ITransportFactory transports, TimeProvider time, string? deviceIdPath)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _time = time;
        _deviceIdPath = deviceIdPath;
        _http = new RestChannel();
        _tokenClient = new TokenClient(_http, options, ResolveDeviceId, time);
        _tokens = new TokenProvider(_tokenClient.RequestAsync, time, options.RequestTimeout);
        _presence = new PresenceClient(_http, _tokens, options, time);
        _inbox = new Inbox(options.InboxCapacity, options.InboxOverflow);
        _outbox = new Outbox(options.OutboxCapacity, options.OutboxOverflow);
        _rows = new RowBuffer(options.RowCapacity);
        LastValues = new LastValues(options.MaxValueFields);
        _connection = new ConnectionSupervisor(options, _tokens, transports, _subscriptions, _outbox, new Sink(this), time);
    }

    /// <summary>Where the connection stands now (live, not only inside Poll).</summary>
    public ConnectionState State => _connection.State;

    /// <summary>
    /// A short human string for TD's Status parameter: "Connected", "Connecting", "Reconnecting in 4 s (attempt 3)",
    /// "Error: ...", "Disconnected". Never contains the key or the token.
    /// </summary>
    public string Status => Scrub(_connection.Status);

    /// <summary>
    /// Per channel, the numeric fields of the newest JSON message: updated on the receive thread as each message of a
    /// subscribed channel arrives (before Poll dispatches it), at most <see cref="DataNetOptions.MaxValueFields"/> fields.
    /// </summary>
    public LastValues LastValues { get; }

    /// <summary>The options this client was created with.</summary>
    public DataNetOptions Options => _options;

    /// <summary>Stops everything: no thread, timer or socket is left. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _connection.Dispose();
        _disposing.Cancel();
        FailWaiters(new ObjectDisposedException(nameof(DataNetClient)));
        _http.Dispose();
        _tokens.Dispose();
        _disposing.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"DataNetClient({_options.WsUrl}, {Status})";

    private bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    private void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException(nameof(DataNetClient));
        }
    }

    private string ResolveDeviceId()
    {
        if (!string.IsNullOrEmpty(_options.DeviceId))
        {
            return _options.DeviceId!;
        }

        return _deviceId ??= DeviceIdStore.GetOrCreate(_deviceIdPath ?? DeviceIdStore.DefaultPath);
    }

    /// <summary>The error with the key and the current token masked in every text field.</summary>
    private DataNetError Scrub(DataNetError error) => error.Masked(Scrub);

    /// <summary>The text with the key and the current token replaced by <c>***</c>: for everything a host can show.</summary>
    private string Scrub(string text) => SecretText.Apply(text, _options.ApiKey, _tokens.Current?.Value);

    /// <summary>The text with the key and the token masked.</summary>
    internal string ScrubText(string text) => Scrub(text);

    private static void ValidateChannel(string channel)
    {
        if (string.IsNullOrWhiteSpace(channel))
        {
            throw new ArgumentException("A channel name is required (e.g. project.<id>.sensor).", nameof(channel));
        }
    }

    private void Enqueue(ClientEvent clientEvent) => _inbox.EnqueueEvent(clientEvent);
}
