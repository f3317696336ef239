using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <remarks>Alone in the process: it holds the collector off and counts every socket the process has.</remarks>
[NonParallelizable]
public class LeakTests : SharedGatewayFixture
{
    /// <summary>Enough for 100 connects on both ends of loopback (about 60 MB measured), with room to spare.</summary>
    private const long NoGcBudget = 240L * 1024 * 1024;

    /// <summary>
    /// The process's TCP sockets with <paramref name="port"/> at either end: this test's clients and the gateway's side
    /// of their connections (token requests and WebSockets), each as "local -> remote STATE" for a failure message.
    /// Sockets other fixtures' clients may still be closing in the background are not this test's to count.
    /// </summary>
    private static List<string> OpenSockets(int port)
    {
        var ours = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    ours.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // Closed while listed.
            }
        }

        var hexPort = ":" + port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        // /proc/net/tcp*: "sl local_address rem_address st ... inode", addresses as HEXADDR:HEXPORT, st in hex.
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && (f[1].EndsWith(hexPort, StringComparison.Ordinal) || f[2].EndsWith(hexPort, StringComparison.Ordinal)) && ours.Contains(f[9]))
            .Select(f => $"{PortOf(f[1])} -> {PortOf(f[2])} {StateName(f[3])}")
            .ToList();
    }

    private static int PortOf(string hexAddress) =>
        int.Parse(hexAddress[(hexAddress.LastIndexOf(':') + 1)..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static string StateName(string hex) => hex switch
    {
        "01" => "ESTABLISHED",
        "06" => "TIME_WAIT",
        "07" => "CLOSE",
        "08" => "CLOSE_WAIT",
        "0A" => "LISTEN",
        _ => "state " + hex,
    };

    /// <summary>
    /// Waits until the sockets to <paramref name="port"/> are no more than <paramref name="baseline"/>. Checked every
    /// 100 ms: each check reads the whole machine's socket tables, and on a busy machine every 5 ms would spend the
    /// no-GC budget.
    /// </summary>
    private static Task SocketsBackToAsync(int port, List<string> baseline) =>
        Eventually.TrueAsync(() => OpenSockets(port).Count <= baseline.Count,
            () => $"sockets to the gateway back to [{string.Join(", ", baseline)}] (now [{string.Join(", ", OpenSockets(port))}])",
            pollInterval: TimeSpan.FromMilliseconds(100));

    /// <summary>
    /// Runs <paramref name="body"/> with the garbage collector held off: a socket nobody disposed is closed by its
    /// finalizer at the next collection, which would hide the leak these tests look for.
    /// </summary>
    private static async Task WithoutCollectionsAsync(Func<Task> body)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.That(GC.TryStartNoGCRegion(NoGcBudget), Is.True, "could not hold off the garbage collector");
        try
        {
            await body();
            Assert.That(GCSettings.LatencyMode, Is.EqualTo(GCLatencyMode.NoGCRegion),
                "the test allocated past its no-GC budget, so a collection may have closed a leaked socket: raise NoGcBudget");
        }
        finally
        {
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }

    [Test]
    public async Task DisposeAtEveryPhaseOfConnectingLeavesNoSocket()
    {
        var gateway = Gateway;
        var warm = new DataNetClient(TestClients.For(gateway, "warm"));
        await warm.ConnectAsync();
        warm.Dispose();
        await Eventually.TrueAsync(() => gateway.ConnectionCount == 0);
        var baseline = OperatingSystem.IsLinux() ? OpenSockets(gateway.Port) : new List<string>();
        if (OperatingSystem.IsLinux())
        {
            Assert.That(baseline, Is.Not.Empty, "the gateway's listening socket is counted");
        }
        await WithoutCollectionsAsync(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                var client = new DataNetClient(TestClients.For(gateway, "leak-" + i));
                client.Connect();
                // Spread the Dispose over auth, socket open and handshake: wait for the token request, then a varying spin.
                await Eventually.TrueAsync(() => client.Stats.TokenRequests == 1);
                for (var spin = 0; spin < i % 25; spin++)
                {
                    await Task.Yield();
                }

                client.Dispose();
            }

            await Eventually.TrueAsync(() => gateway.ConnectionCount == 0, because: "a socket opened while its client was disposed stayed open");
            if (OperatingSystem.IsLinux())
            {
                await SocketsBackToAsync(gateway.Port, baseline);
            }
        });
    }

    [Test]
    public async Task ReloadingClientsLikeTheLoaderLeavesNoSocket()
    {
        var gateway = Gateway;
        var options = TestClients.For(gateway, "reload");
        var client = new DataNetClient(options);
        client.Subscribe("project.local.reload");
        await client.ConnectAsync();
        for (var i = 0; i < 5; i++)
        {
            client.Dispose();
            client = new DataNetClient(options);
            await client.ConnectAsync();
        }

        await Eventually.TrueAsync(() => gateway.ConnectionCount == 1);
        var baseline = OperatingSystem.IsLinux() ? OpenSockets(gateway.Port) : new List<string>();
        if (OperatingSystem.IsLinux())
        {
            Assert.That(baseline, Is.Not.Empty, "the gateway's listening socket is counted");
        }
        await WithoutCollectionsAsync(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                client.Dispose();
                client = new DataNetClient(options);
                client.Subscribe("project.local.reload");
                client.Connect();
                if (i % 2 == 1)
                {
                    await Eventually.TrueAsync(() => client.State == ConnectionState.Connected);
                }
            }

            await Eventually.TrueAsync(() => client.State == ConnectionState.Connected);
            await Eventually.TrueAsync(() => gateway.ConnectionCount == 1, () => $"one connection left (now {gateway.ConnectionCount})");
            if (OperatingSystem.IsLinux())
            {
                await SocketsBackToAsync(gateway.Port, baseline);
            }
        });

        client.Dispose();
    }
}
