using System;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Tasks;
using DataNet.Gateway;
using DataNet.Td.Tests.Support;
using NUnit.Framework;

namespace DataNet.Td.Tests.Client;

/// <summary>PollFrame's record, field by field, on a scripted connection: what a host reads with one call a frame.</summary>
public class FrameRecordTests
{
    private const string Channel = "demo.frame";

    private static string Message(string data, string from = "dev") =>
        "{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"" + Channel + "\",\"d\":" + data + ",\"ts\":1733300000123,\"from\":\"" + from + "\"}";

    private static string[] Fields(string record) => record.Split(FrameRecord.FieldSeparator, 28);

    private static int At(FrameRecord.Field field) => (int)field;

    /// <summary>Every socket it opens answers <c>connected</c> at once; the test reads it from <c>Created</c>.</summary>
    private static ScriptedTransportFactory ConnectingFactory() => new((_, t) => t.ServerText(ScriptedTransport.ConnectedFrame));

    [Test]
    public async Task OneCallPollsTakesRowsWritesValuesAndReportsCounters()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var factory = ConnectingFactory();
        using var client = new DataNetClient(TestClients.For(gateway), factory, TimeProvider.System, deviceIdPath: null);
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

    [Test]
    public async Task BatchedMessagesArriveOncePerChannelAndStatusCannotBreakTheRecord()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var factory = ConnectingFactory();
        using var client = new DataNetClient(TestClients.For(gateway), factory, TimeProvider.System, deviceIdPath: null);
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
        socket.ServerClose("bye\u001e\u001fnow");   // a reason with separators reaches Status as plain text
        await Eventually.TrueAsync(() => client.State != ConnectionState.Connected);
        var after = Fields(client.PollFrame(-1, null, false, 0, 0, -1));
        Assert.That(after, Has.Length.EqualTo(28));
        Assert.That(after[At(FrameRecord.Field.Batches)], Is.Empty);
    }
}
