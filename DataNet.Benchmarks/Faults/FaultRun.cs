using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DataNet.Benchmarks.EndToEnd;

namespace DataNet.Benchmarks.Faults;

/// <summary>
/// The client under hard faults, on in-process local gateways over loopback: a gateway killed and restarted mid-stream
/// (lost subscriptions, delivered-or-counted, recovery time), and a silent link (detection time, idle and under heavy
/// publishing). Prints each phase, then the figures table with each target's hit or miss.
/// </summary>
internal static class FaultRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var kills = quick ? 5 : 20;
        var trials = quick ? 2 : 5;
        var started = DateTime.UtcNow;
        Console.WriteLine(Inv($"DataNet faults{(quick ? " --quick" : "")}: {started:yyyy-MM-dd HH:mm} UTC, {Machine.Describe()}, load {Machine.Load()}"));
        Console.WriteLine(Inv($"[1/2] gateway killed (TCP abort, new process state) and restarted {kills} times while 500 msg/s are published"));
        var kill = await KillRestartPhase.RunAsync(kills).ConfigureAwait(false);
        Console.WriteLine(Inv($"[2/2] silent link (TCP open, nothing read or written), heartbeat 1 s: {trials} trials idle, {trials} under heavy publishing"));
        var idle = await SilentLinkPhase.RunAsync(trials, heavy: false).ConfigureAwait(false);
        var heavy = await SilentLinkPhase.RunAsync(trials, heavy: true).ConfigureAwait(false);

        var w = Console.Out;
        w.WriteLine();
        w.WriteLine(Inv($"## fault figures ({started:yyyy-MM-dd HH:mm} UTC{(quick ? ", --quick" : "")})"));
        w.WriteLine();
        w.WriteLine("| figure | value | target | result |");
        w.WriteLine("| --- | --- | --- | --- |");
        Row(w, Inv($"subscriptions lost over {kills} kills (5 channels)"), Inv($"{kill.LostSubscriptions}"), "0", Hit(kill.LostSubscriptions == 0));
        Row(w, "publishes: accepted / reached a gateway / never arrived", Inv($"{kill.Published:N0} / {kill.Arrived:N0} / {kill.Missing:N0}"), "", "");
        Row(w, "counted: unconfirmed at a disconnect / outbox overflow / refused", Inv($"{kill.Unconfirmed:N0} / {kill.Dropped:N0} / {kill.Refused:N0}"),
            "every missing one counted", Hit(kill.Missing <= kill.Unconfirmed + kill.Dropped + kill.Refused));
        Row(w, "recovery after the gateway is back p50 / max", Inv($"{kill.RecoveryP50:F2} / {kill.RecoveryMax:F2} s"), "p50 <= 1.5 s", Hit(kill.RecoveryP50 <= 1.5));
        Row(w, "silent link detected, idle: min / p50 / max", Inv($"{idle.Min:F2} / {idle.P50:F2} / {idle.Max:F2} s"), "<= 2 intervals (2 s)", Hit(idle.Max <= 2.0 + Slack));
        Row(w, "silent link detected, heavy publishing: min / p50 / max", Inv($"{heavy.Min:F2} / {heavy.P50:F2} / {heavy.Max:F2} s"), "<= 2 intervals (2 s)",
            Hit(heavy.Max <= 2.0 + Slack));
        w.WriteLine();
        w.WriteLine(Inv($"Detection is measured from the moment the gateway went silent; the rule needs a heartbeat unanswered for one interval and no frame for two, so up to {Slack:F1} s of scheduling slack is allowed."));
        return 0;
    }

    /// <summary>The loop's wake-up granularity and a loaded 2-core machine's scheduling.</summary>
    private const double Slack = 0.2;

    private static void Row(System.IO.TextWriter w, string name, string value, string target, string result) =>
        w.WriteLine($"| {name} | {value} | {target} | {result} |");

    private static string Hit(bool hit) => hit ? "hit" : "MISS";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
