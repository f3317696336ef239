using System.Linq;
using DataNet.Td.Values;

namespace DataNet.Td.Tests;

/// <summary>Contract section 2: flattening into TD-legal names, LastValues, rows.</summary>
public class ValuesTests
{
    private static string[] Names(string json) => TestFrames.Flatten(json).Select(f => f.Name).ToArray();

    private static double[] Values(string json) => TestFrames.Flatten(json).Select(f => f.Value).ToArray();

    [Test]
    public void ContractExample()
    {
        const string json = "{\"env\":{\"t\":21.5,\"h\":60},\"on\":true,\"arr\":[1,2],\"s\":\"x\",\"n\":null}";
        Assert.That(Names(json), Is.EqualTo(new[] { "env/t", "env/h", "on", "arr/0", "arr/1" }));
        Assert.That(Values(json), Is.EqualTo(new[] { 21.5, 60, 1, 1, 2 }));
    }

    [Test]
    public void BareValues()
    {
        Assert.That(Names("42"), Is.EqualTo(new[] { "value" }));
        Assert.That(Values("false"), Is.EqualTo(new[] { 0.0 }));
        Assert.That(Names("\"text\""), Is.Empty);
        Assert.That(Names("null"), Is.Empty);
        Assert.That(Names("[3,4]"), Is.EqualTo(new[] { "0", "1" }));
    }

    [Test]
    public void NamesFollowTdsChannelNameRule()
    {
        Assert.That(Names("{\"a.b\":1,\"c d\":2,\"é\":3,\"ok:_/-9\":4}"), Is.EqualTo(new[] { "a_b", "c_d", "_", "ok:_/-9" }));
        Assert.That(ChannelNames.Sanitize("project.local.sensor"), Is.EqualTo("project_local_sensor"));
    }

    [Test]
    public void NamesRememberedFromThePreviousValueAreReusedOnlyWhenTheyMatch()
    {
        // The flattener reuses the previous value's names node by node: every change of shape must still name right.
        var shapes = new (string Json, string[] Expected)[]
        {
            ("{\"env\":{\"t\":1,\"h\":2},\"arr\":[1,2]}", new[] { "env/t", "env/h", "arr/0", "arr/1" }),
            ("{\"env\":{\"t\":3,\"h\":4},\"arr\":[5,6]}", new[] { "env/t", "env/h", "arr/0", "arr/1" }),
            ("{\"env\":{\"t\":3,\"x\":4},\"arr\":[5,6,7]}", new[] { "env/t", "env/x", "arr/0", "arr/1", "arr/2" }),
            ("{\"vne\":{\"t\":3,\"x\":4},\"arr\":{\"0\":5}}", new[] { "vne/t", "vne/x", "arr/0" }),
            ("[{\"t\":1},{\"t\":2}]", new[] { "0/t", "1/t" }),
            ("{\"0\":{\"t\":1},\"1\":{\"t\":2}}", new[] { "0/t", "1/t" }),
            ("{\"a.b\":1,\"s\":\"x\",\"c\":2}", new[] { "a_b", "c" }),
            ("{\"a.b\":1,\"c\":2}", new[] { "a_b", "c" }),
            ("{\"env\":{\"t\":1,\"h\":2},\"arr\":[1,2]}", new[] { "env/t", "env/h", "arr/0", "arr/1" }),
        };
        foreach (var (json, expected) in shapes)
        {
            Assert.That(Names(json), Is.EqualTo(expected), json);
        }

        var first = TestFrames.Flatten("{\"env\":{\"t\":1}}");
        var second = TestFrames.Flatten("{\"env\":{\"t\":2}}");
        Assert.That(second[0].Name, Is.SameAs(first[0].Name), "same shape: the name string is reused, not allocated again");
        Assert.That(second[0].Value, Is.EqualTo(2));
    }

    [Test]
    public void HugeNumbersAreSkipped()
    {
        Assert.That(Names("{\"a\":1e400,\"b\":1}"), Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public void LastValuesKeepsFirstSeenOrderAndVersions()
    {
        var values = new LastValues();
        values.Apply("ch1", TestFrames.Utf8("{\"b\":1,\"a\":2}"));
        Assert.That(values.LayoutVersion, Is.EqualTo(3), "channel + two names");
        Assert.That(values.Version, Is.EqualTo(1));

        values.Apply("ch1", TestFrames.Utf8("{\"a\":5,\"b\":1}"));
        Assert.That(values.GetNames("ch1"), Is.EqualTo(new[] { "b", "a" }), "order stays first-seen");
        Assert.That(values.GetValues("ch1"), Is.EqualTo(new[] { 1.0, 5.0 }));
        Assert.That(values.LayoutVersion, Is.EqualTo(3));
        Assert.That(values.Version, Is.EqualTo(2));

        values.Apply("ch1", TestFrames.Utf8("{\"a\":5}"));
        Assert.That(values.Version, Is.EqualTo(2), "no change, no bump");

        values.Apply("ch1", TestFrames.Utf8("{\"c\":7}"));
        Assert.That(values.GetNames("ch1"), Is.EqualTo(new[] { "b", "a", "c" }));
        Assert.That(values.GetValues("ch1"), Is.EqualTo(new[] { 1.0, 5.0, 7.0 }), "missing fields keep their last value");
        Assert.That(values.LayoutVersion, Is.EqualTo(4));
    }

    [Test]
    public void ValuesAreCopiedOnlyUnderTheLayoutTheirNamesCameWith()
    {
        var values = new LastValues();
        values.Apply("one", TestFrames.Utf8("{\"a\":1,\"b\":2}"));
        values.Apply("two", TestFrames.Utf8("{\"x\":9}"));
        var held = values.Collect(null, prefixWithChannel: true);
        var buffer = new double[held.Values.Length];
        Assert.That(values.CopyValues(null, buffer, held.LayoutVersion), Is.EqualTo(3));

        // A new field of the first channel, arriving on the receive thread between a host's layout check and its copy,
        // would shift two/x under one/b: the checked copy refuses instead.
        values.Apply("one", TestFrames.Utf8("{\"c\":3}"));
        buffer[2] = -1;
        Assert.That(values.CopyValues(null, buffer, held.LayoutVersion), Is.EqualTo(-1));
        Assert.That(buffer[2], Is.EqualTo(-1), "nothing copied");
        var native = System.Runtime.InteropServices.Marshal.AllocHGlobal(4 * sizeof(double));
        try
        {
            Assert.That(values.CopyValuesTo(null, native, 4, held.LayoutVersion), Is.EqualTo(-1));
            Assert.That(values.CopyValuesTo(null, native, 4, values.LayoutVersion), Is.EqualTo(4));
        }
        finally
        {
            System.Runtime.InteropServices.Marshal.FreeHGlobal(native);
        }
        var fresh = values.Collect(null, prefixWithChannel: true);
        Assert.That(values.CopyValues(null, new double[4], fresh.LayoutVersion), Is.EqualTo(4));
    }

    [Test]
    public void LookupsAndBulkCopies()
    {
        var values = new LastValues();
        values.Apply("project.p.one", TestFrames.Utf8("{\"env\":{\"t\":21.5}}"));
        values.Apply("two", TestFrames.Utf8("3"));

        Assert.That(values.Channels, Is.EqualTo(new[] { "project.p.one", "two" }));
        Assert.That(values.TryGetValue("project.p.one", "env/t", out var t), Is.True);
        Assert.That(t, Is.EqualTo(21.5));
        Assert.That(values.GetValue("two", "value", -1), Is.EqualTo(3));
        Assert.That(values.GetValue("two", "missing", -1), Is.EqualTo(-1));
        Assert.That(values.GetValue("nope", "value", -1), Is.EqualTo(-1));
        Assert.That(values.GetNames("nope"), Is.Empty);

        var all = values.Collect(null, prefixWithChannel: true);
        Assert.That(all.Names, Is.EqualTo(new[] { "project_p_one/env/t", "two/value" }));
        Assert.That(all.Values, Is.EqualTo(new[] { 21.5, 3 }));
        Assert.That(all.LayoutVersion, Is.EqualTo(values.LayoutVersion));

        var reversed = values.Collect(new[] { "two", "project.p.one", "unknown" }, prefixWithChannel: false);
        Assert.That(reversed.Names, Is.EqualTo(new[] { "value", "env/t" }));

        var buffer = new double[4];
        Assert.That(values.CopyValues(new[] { "two", "project.p.one" }, false, buffer), Is.EqualTo(2));
        Assert.That(buffer, Is.EqualTo(new[] { 3, 21.5, 0, 0 }));
        var small = new double[1];
        Assert.That(values.CopyValues(null, true, small), Is.EqualTo(1));
        Assert.That(small, Is.EqualTo(new[] { 21.5 }));
        Assert.That(values.CountValues(null), Is.EqualTo(2));

        var native = System.Runtime.InteropServices.Marshal.AllocHGlobal(3 * sizeof(double));
        try
        {
            Assert.That(values.CopyValuesTo(new[] { "two", "project.p.one" }, native, 3), Is.EqualTo(2));
            var back = new double[2];
            System.Runtime.InteropServices.Marshal.Copy(native, back, 0, 2);
            Assert.That(back, Is.EqualTo(new[] { 3, 21.5 }));
            Assert.That(values.CopyValuesTo(null, native, 1), Is.EqualTo(1), "never writes past capacity");
        }
        finally
        {
            System.Runtime.InteropServices.Marshal.FreeHGlobal(native);
        }

        var layout = values.LayoutVersion;
        values.Remove("two");
        Assert.That(values.Channels, Is.EqualTo(new[] { "project.p.one" }));
        Assert.That(values.LayoutVersion, Is.GreaterThan(layout));
    }

    [Test]
    public void RowsAreBoundedAndCountDrops()
    {
        var rows = new RowBuffer(2);
        rows.Add(TestFrames.Json("a", "dev", 1, "{\"x\":1}"));
        rows.Add(TestFrames.Json("b", "", 2, "2"));
        rows.Add(new DataNetMessage("c", "d", 1710000000000, new byte[] { 1, 2, 3 }, "binary/dmx", 3, null, false));

        var batch = rows.Take(10);
        Assert.That(batch.Count, Is.EqualTo(2));
        Assert.That(batch.Dropped, Is.EqualTo(1));
        Assert.That(batch.Cells, Is.EqualTo(new[] { "b", "", "2", "application/json", "2", "c", "d", "1710000000000", "binary/dmx", "AQID" }));
        Assert.That(RowBatch.Header, Is.EqualTo(new[] { "channel", "from", "timestamp", "contentType", "data" }));
        Assert.That(rows.DroppedTotal, Is.EqualTo(1));

        var empty = rows.Take(10);
        Assert.That(empty.Count, Is.Zero);
        Assert.That(empty.Dropped, Is.Zero);

        var none = new RowBuffer(0);
        none.Add(TestFrames.Json("a", "", 1, "1"));
        Assert.That(none.Take(5).Count, Is.Zero);
        Assert.That(none.DroppedTotal, Is.Zero, "RowCapacity 0 means no rows, not dropped rows");
    }

    [Test]
    public void TakingTheNewestRowsDropsTheOlderOnesAndCountsThem()
    {
        var rows = new RowBuffer(3);
        for (var i = 1; i <= 4; i++)
        {
            rows.Add(TestFrames.Json("c" + i, "", i, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var batch = rows.TakeNewest(2);   // c1 fell out of the buffer; c2 is older than the newest two
        Assert.That(batch.Count, Is.EqualTo(2));
        Assert.That(batch.Dropped, Is.EqualTo(2));
        Assert.That(new[] { batch.Cells[0], batch.Cells[5] }, Is.EqualTo(new[] { "c3", "c4" }), "oldest first");
        Assert.That(rows.DroppedTotal, Is.EqualTo(2));
        Assert.That(rows.Count, Is.Zero);

        rows.Add(TestFrames.Json("c5", "", 5, "5"));
        var next = rows.TakeNewest(2);
        Assert.That((next.Count, next.Dropped, next.Cells[0]), Is.EqualTo((1, 0L, "c5")));
    }

    [Test]
    public void JoinedCellsSplitBackIntoTheCellsOrAreNullWhenACellHoldsTheSeparator()
    {
        var rows = new RowBuffer(10);
        rows.Add(TestFrames.Json("a", "", 1, "{\"s\":\"x\\u001fy\",\"t\":\"\t\"}"));
        rows.Add(TestFrames.Json("b", "dev", 2, "\"\""));
        var batch = rows.Take(10);
        Assert.That(batch.JoinCells()!.Split(RowBatch.CellSeparator), Is.EqualTo(batch.Cells), "escaped in JSON text: no raw separator");

        rows.Add(TestFrames.Json("c", "dev\u001f1", 3, "3"));
        var odd = rows.Take(10);
        Assert.That(odd.JoinCells(), Is.Null, "a decoded sender holding the separator: read Cells instead");
        Assert.That(RowBatch.Empty(0).JoinCells(), Is.EqualTo(string.Empty));
    }
}
