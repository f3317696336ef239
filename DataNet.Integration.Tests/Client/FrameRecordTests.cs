using System.Runtime.InteropServices;
using System.Text.Json;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>PollFrame's record, field by field, on a scripted connection: what a host reads with one call a frame.</summary>
public class FrameRecordTests
{
    private const string Channel = "demo.frame";

    private static string Message(string data, string from = "dev") =>
        "{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"" + Channel + "\",\"d\":" + data + ",\"ts\":1733300000123,\"from\":\"" + from + "\"}";

    private static string[] Fields(string record) => record.Split(FrameRecord.FieldSeparator, 28);

    private static int At(FrameRecord.Field field) => (int)field;

    /// <summary>A local gateway (for the token) and a client on scripted sockets; disposes both.</summary>
    private sealed class ScriptedClient : IAsyncDisposable
    {
        private LocalGateway? _gateway;

        /// <summary>
        /// The first socket answers <c>connected</c> at once; any later one hangs in its connect, so a closed connection
        /// stays closed while the test looks. The test reads them from <c>Created</c>.
        /// </summary>
        public ScriptedTransportFactory Factory { get; } = new((attempt, t) =>
        {
            if (attempt == 1)
            {
                t.ServerText(ScriptedTransport.ConnectedFrame);
            }
            else
            {
                t.HoldConnect();
            }
        });

        public DataNetClient Client { get; private set; } = null!;

        public static async Task<ScriptedClient> StartAsync()
        {
            var rig = new ScriptedClient { _gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 }) };
            rig.Client = new DataNetClient(TestClients.For(rig._gateway), rig.Factory, TimeProvider.System, deviceIdPath: null);
            return rig;
        }

        public async ValueTask DisposeAsync()
        {
            Client?.Dispose();
            if (_gateway is not null)
            {
                await _gateway.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task OneCallPollsTakesRowsWritesValuesAndReportsCounters()
    {
        await using var rig = await ScriptedClient.StartAsync();
        var (factory, client) = (rig.Factory, rig.Client);
        client.Subscribe(Channel);
        await client.ConnectAsync();
        var socket = factory.Created[0];
        socket.ServerText(Message("{\"a\":1,\"b\":{\"c\":2.5}}"));
        socket.ServerText(Message("\"text\"", from: "dev\\u001fwith\\u001eseparators"));   // hostile: a real U+001F in a cell
        socket.ServerText(Message("{\"a\":3,\"b\":{\"c\":4.5}}"));
        await Eventually.TrueAsync(() => client.Stats.InboxBacklog == 3);

        var buffer = Marshal.AllocHGlobal(sizeof(double) * 4);
        try
        {
            var f = Fields(client.PollFrame(2, [Channel], false, buffer.ToInt64(), 4, -1));

            Assert.That(f.Length, Is.EqualTo(28));
            Assert.That(f[At(FrameRecord.Field.Version)], Is.EqualTo(FrameRecord.Version));
            Assert.That(f[At(FrameRecord.Field.Messages)], Is.EqualTo("3"));
            Assert.That(f[At(FrameRecord.Field.State)], Is.EqualTo("Connected"));
            Assert.That(f[At(FrameRecord.Field.Status)], Is.EqualTo("Connected"));
            Assert.That(f[At(FrameRecord.Field.Received)], Is.EqualTo("3"));
            Assert.That(f[At(FrameRecord.Field.ValueCount)], Is.EqualTo("2"));
            Assert.That(f[At(FrameRecord.Field.NamesIncluded)], Is.EqualTo("1"));
            Assert.That(f[At(FrameRecord.Field.Names)], Is.EqualTo("a" + FrameRecord.ItemSeparator + "b/c"));
            var values = new double[2];
            Marshal.Copy(buffer, values, 0, 2);
            Assert.That(values, Is.EqualTo(new[] { 3.0, 4.5 }));

            // The newest two of three rows; a cell holding a separator makes the list JSON, not joined.
            Assert.That(f[At(FrameRecord.Field.RowCount)], Is.EqualTo("2"));
            Assert.That(f[At(FrameRecord.Field.RowsDropped)], Is.EqualTo("1"));
            Assert.That(f[At(FrameRecord.Field.RowsEncoding)], Is.EqualTo(FrameRecord.Json));
            var cells = JsonSerializer.Deserialize<string[]>(f[At(FrameRecord.Field.Rows)])!;
            Assert.That(cells, Has.Length.EqualTo(2 * RowBatch.ColumnCount));
            Assert.That(cells[1], Is.EqualTo("dev\u001fwith\u001eseparators"));
            Assert.That(cells[4], Is.EqualTo("\"text\""));
            Assert.That(cells[5..9], Is.EqualTo(new[] { Channel, "dev", "1733300000123", "application/json" }));

            // Nothing new, layout known: no names, values copied again, no rows.
            var layout = long.Parse(f[At(FrameRecord.Field.LayoutVersion)], System.Globalization.CultureInfo.InvariantCulture);
            var again = Fields(client.PollFrame(2, [Channel], false, buffer.ToInt64(), 4, layout));
            Assert.That(again[At(FrameRecord.Field.Messages)], Is.EqualTo("0"));
            Assert.That(again[At(FrameRecord.Field.NamesIncluded)], Is.EqualTo("0"));
            Assert.That(again[At(FrameRecord.Field.ValueCount)], Is.EqualTo("2"));
            Assert.That(again[At(FrameRecord.Field.RowCount)], Is.EqualTo("0"));
            Assert.That(again[At(FrameRecord.Field.ValuesVersion)], Is.EqualTo(f[At(FrameRecord.Field.ValuesVersion)]));
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate long FrameCall(long request);

    [Test]
    public async Task TheEntryPointReadsItsRequestBlockAndReturnsTheRecordAsUtf8()
    {
        await using var rig = await ScriptedClient.StartAsync();
        var (factory, client) = (rig.Factory, rig.Client);
        const string other = "demo.other";
        client.Subscribe(Channel);
        client.Subscribe(other);
        await client.ConnectAsync();
        var socket = factory.Created[0];
        socket.ServerText(Message("{\"a\":1,\"s\":\"caf\u00e9 \u263a\"}"));
        socket.ServerText(Message("{\"b\":2}").Replace(Channel, other, StringComparison.Ordinal));
        await Eventually.TrueAsync(() => client.Stats.InboxBacklog == 2);

        // In-process the runtime hands back the delegate behind the pointer (of the SDK's own type): invoked
        // dynamically. Through the pointer itself, by ctypes, the Python tests call it (test_frame.py).
#pragma warning disable CA2263 // The generic overload casts to the test's type, which the SDK's delegate is not.
        var entry = Marshal.GetDelegateForFunctionPointer(new IntPtr(client.PollFrameEntryPoint), typeof(FrameCall));
#pragma warning restore CA2263
        long call(long block) => (long)entry.DynamicInvoke(block)!;
        var request = new long[FrameRequest.Slots];
        var values = new double[4];
        var channels = System.Text.Encoding.UTF8.GetBytes(Channel);
        var pins = new[] { GCHandle.Alloc(request, GCHandleType.Pinned), GCHandle.Alloc(values, GCHandleType.Pinned), GCHandle.Alloc(channels, GCHandleType.Pinned) };
        try
        {
            request[(int)FrameRequest.Slot.MaxRows] = 10;
            request[(int)FrameRequest.Slot.PrefixWithChannel] = 1;
            request[(int)FrameRequest.Slot.ValuesAddress] = pins[1].AddrOfPinnedObject().ToInt64();
            request[(int)FrameRequest.Slot.ValuesCapacity] = values.Length;
            request[(int)FrameRequest.Slot.KnownLayout] = -1;
            request[(int)FrameRequest.Slot.ChannelsAddress] = pins[2].AddrOfPinnedObject().ToInt64();
            request[(int)FrameRequest.Slot.ChannelsLength] = channels.Length;

            var length = call(pins[0].AddrOfPinnedObject().ToInt64());

            Assert.That(length, Is.GreaterThan(0));
            Assert.That(request[(int)FrameRequest.Slot.RecordCapacity], Is.GreaterThanOrEqualTo(length));
            var bytes = new byte[length];
            Marshal.Copy(new IntPtr(request[(int)FrameRequest.Slot.RecordAddress]), bytes, 0, (int)length);
            var f = Fields(System.Text.Encoding.UTF8.GetString(bytes));
            Assert.That(f, Has.Length.EqualTo(28));
            Assert.That(f[At(FrameRecord.Field.Messages)], Is.EqualTo("2"));
            Assert.That(f[At(FrameRecord.Field.RowCount)], Is.EqualTo("2"));
            Assert.That(f[At(FrameRecord.Field.Rows)], Does.Contain("caf\u00e9 \u263a"), "UTF-8 both ways");
            Assert.That(f[At(FrameRecord.Field.Names)], Is.EqualTo(Channel.Replace('.', '_') + "/a"), "only the selected channel, prefixed");
            Assert.That(values[0], Is.EqualTo(1.0));
            var stats = client.Stats;
            Assert.That(f[At(FrameRecord.Field.Received)], Is.EqualTo(stats.Received.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(f[At(FrameRecord.Field.Dropped)], Is.EqualTo(stats.Dropped.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(f[At(FrameRecord.Field.Queued)], Is.EqualTo(stats.Queued.ToString(System.Globalization.CultureInfo.InvariantCulture)));

            // Another selection in the same block: decoded anew, not the cached one.
            var both = System.Text.Encoding.UTF8.GetBytes(Channel + FrameRecord.ItemSeparator + other);
            var pin = GCHandle.Alloc(both, GCHandleType.Pinned);
            try
            {
                request[(int)FrameRequest.Slot.ChannelsAddress] = pin.AddrOfPinnedObject().ToInt64();
                request[(int)FrameRequest.Slot.ChannelsLength] = both.Length;
                length = call(pins[0].AddrOfPinnedObject().ToInt64());
                bytes = new byte[length];
                Marshal.Copy(new IntPtr(request[(int)FrameRequest.Slot.RecordAddress]), bytes, 0, (int)length);
                f = Fields(System.Text.Encoding.UTF8.GetString(bytes));
                Assert.That(f[At(FrameRecord.Field.ValueCount)], Is.EqualTo("2"));
                Assert.That(values[..2], Is.EqualTo(new[] { 1.0, 2.0 }));
            }
            finally
            {
                pin.Free();
            }
        }
        finally
        {
            foreach (var pin in pins)
            {
                pin.Free();
            }
        }
    }

    [Test]
    public async Task TheEntryPointAnswersUnchangedOnlyForAQuietRepeatTheHostAccepts()
    {
        await using var rig = await ScriptedClient.StartAsync();
        var (factory, client) = (rig.Factory, rig.Client);
        client.Subscribe(Channel);
        await client.ConnectAsync();
        var socket = factory.Created[0];
#pragma warning disable CA2263 // The generic overload casts to the test's type, which the SDK's delegate is not.
        var entry = Marshal.GetDelegateForFunctionPointer(new IntPtr(client.PollFrameEntryPoint), typeof(FrameCall));
#pragma warning restore CA2263
        var request = new long[FrameRequest.Slots];
        var pin = GCHandle.Alloc(request, GCHandleType.Pinned);
        try
        {
            long call(long maxRows, bool accept)
            {
                request[(int)FrameRequest.Slot.MaxRows] = maxRows;
                request[(int)FrameRequest.Slot.KnownLayout] = -1;
                request[(int)FrameRequest.Slot.AcceptUnchanged] = accept ? 1 : 0;
                return (long)entry.DynamicInvoke(pin.AddrOfPinnedObject().ToInt64())!;
            }

            await Eventually.TrueAsync(() => call(10, accept: false) > 0 && client.State == ConnectionState.Connected);
            Assert.That(call(10, accept: false), Is.GreaterThan(0), "not accepted: always the record");
            Assert.That(call(10, accept: true), Is.EqualTo(0), "quiet, same request, same record");
            Assert.That(call(5, accept: true), Is.GreaterThan(0), "another request: the record");
            Assert.That(call(5, accept: true), Is.EqualTo(0));

            socket.ServerText(Message("{\"a\":1}"));
            await Eventually.TrueAsync(() => client.Stats.InboxBacklog == 1);
            var length = call(5, accept: true);
            Assert.That(length, Is.GreaterThan(0), "a message: never unchanged");
            var bytes = new byte[length];
            Marshal.Copy(new IntPtr(request[(int)FrameRequest.Slot.RecordAddress]), bytes, 0, (int)length);
            Assert.That(Fields(System.Text.Encoding.UTF8.GetString(bytes))[At(FrameRecord.Field.RowCount)], Is.EqualTo("1"));
            Assert.That(call(5, accept: true), Is.GreaterThan(0), "the counters moved since: the record");
            Assert.That(call(5, accept: true), Is.EqualTo(0));
        }
        finally
        {
            pin.Free();
        }
    }

    [Test]
    public async Task BatchedMessagesArriveOncePerChannelAndStatusCannotBreakTheRecord()
    {
        await using var rig = await ScriptedClient.StartAsync();
        var (factory, client) = (rig.Factory, rig.Client);
        client.SubscribeBatch(Channel);
        client.SubscribeBatch(Channel);   // idempotent: one handler, every message once
        await client.ConnectAsync();
        var socket = factory.Created[0];
        socket.ServerText(Message("{\"i\":1}"));
        socket.ServerText(Message("{\"i\":2}"));
        await Eventually.TrueAsync(() => client.Stats.InboxBacklog == 2);

        var f = Fields(client.PollFrame(-1, null, false, 0, 0, -1));

        Assert.That(f[At(FrameRecord.Field.BatchesEncoding)], Is.EqualTo(FrameRecord.Joined));
        var items = f[At(FrameRecord.Field.Batches)].Split(FrameRecord.ItemSeparator);
        Assert.That(items[..2], Is.EqualTo(new[] { Channel, "2" }));
        Assert.That(items[2..6], Is.EqualTo(new[] { "dev", "1733300000123", "", "{\"i\":1}" }));
        Assert.That(items[9], Is.EqualTo("{\"i\":2}"));
        Assert.That(f[At(FrameRecord.Field.RowCount)], Is.EqualTo("0"), "no table: rows stay for TakeRows");
        Assert.That(client.TakeRows(10).Count, Is.EqualTo(2));

        client.Unsubscribe(Channel);       // every handler of the channel, the batch one too
        client.SubscribeBatch(Channel);    // so this subscribes again
        socket.ServerText(Message("{\"i\":3}"));
        await Eventually.TrueAsync(() => client.Stats.InboxBacklog == 1);
        var again = Fields(client.PollFrame(-1, null, false, 0, 0, -1));
        Assert.That(again[At(FrameRecord.Field.Batches)].Split(FrameRecord.ItemSeparator)[^1], Is.EqualTo("{\"i\":3}"));

        client.UnsubscribeBatch(Channel);
        socket.ServerClose("bye\u001e\u001fnow");   // a reason with separators reaches LastError as plain text
        await Eventually.TrueAsync(() => client.State != ConnectionState.Connected);
        var after = Fields(client.PollFrame(-1, null, false, 0, 0, -1));
        Assert.That(after, Has.Length.EqualTo(28));
        Assert.That(after[At(FrameRecord.Field.LastError)], Is.EqualTo("connection_lost: Connection lost: bye  now"),
            "the reason, its separators made spaces");
        Assert.That(after[At(FrameRecord.Field.Batches)], Is.Empty);
    }
}
