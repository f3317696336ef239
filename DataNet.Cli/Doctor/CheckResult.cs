namespace DataNet.Cli.Doctor;

internal enum CheckOutcome
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>One line of the doctor's report, with a plain fix when it failed or was skipped.</summary>
internal sealed record CheckResult(string Name, CheckOutcome Outcome, string Detail, string? Fix = null)
{
    public static CheckResult Pass(string name, string detail) => new(name, CheckOutcome.Passed, detail);

    public static CheckResult Fail(string name, string detail, string fix) => new(name, CheckOutcome.Failed, detail, fix);

    public static CheckResult Skip(string name, string detail, string? fix = null) => new(name, CheckOutcome.Skipped, detail, fix);
}
