using System.CommandLine;
using System.Globalization;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Pub;

/// <summary>The options of <c>datanet pub</c> and the checks that make one consistent <see cref="PublishPlan"/>.</summary>
internal sealed class PubOptions
{
    private const double DefaultStreamRate = 10;

    public Option<double?> Rate { get; } = new("--rate", "-r") { Description = "Messages per second; without --count, until Ctrl-C." };

    public Option<long?> Count { get; } = new("--count", "-n") { Description = $"Number of messages (at --rate, default {DefaultStreamRate}/s)." };

    public Option<bool> Stdin { get; } = new("--stdin", "-l") { Description = "Publish one JSON message per input line." };

    public Option<string?> Dmx { get; } = new("--dmx") { Description = "A DMX frame (binary/dmx): values 0..255 from channel 1, e.g. 255,0,128." };

    public Option<int> Length { get; } = new("--length")
    {
        Description = "DMX frame length, 1..512; unset channels are 0.",
        DefaultValueFactory = _ => DmxValues.MaxChannels,
    };

    public Option<string?> Meta { get; } = new("--meta") { Description = "Metadata object sent with a --dmx frame or Art-Net packet, e.g. '{\"universe\":1}'." };

    public Option<bool> ArtNet { get; } = new("--artnet") { Description = "Wrap the --dmx frame in an ArtDMX packet (binary/artnet)." };

    public Option<int> Universe { get; } = new("--universe") { Description = "Art-Net universe, 0..15." };

    public Option<int> Subnet { get; } = new("--subnet") { Description = "Art-Net subnet, 0..15." };

    public Option<int> Net { get; } = new("--net") { Description = "Art-Net net, 0..127." };

    public Option<int> Physical { get; } = new("--physical") { Description = "Art-Net physical input port, 0..255." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Rate, Count, Stdin, Dmx, Length, Meta, ArtNet, Universe, Subnet, Net, Physical })
        {
            command.Options.Add(option);
        }
    }

    public bool IsStdin(ParseResult parseResult) => parseResult.GetValue(Stdin);

    public bool HasDmx(ParseResult parseResult) => parseResult.GetValue(Dmx) is not null;

    public PublishPlan Bind(ParseResult parseResult, string? json)
    {
        var stdin = parseResult.GetValue(Stdin);
        var dmx = parseResult.GetValue(Dmx);
        var sources = (json is null ? 0 : 1) + (stdin ? 1 : 0) + (dmx is null ? 0 : 1);
        if (sources != 1)
        {
            throw new CliException(
                sources == 0
                    ? "nothing to publish: give a JSON message, --stdin, or --dmx VALUES"
                    : "give only one of: a JSON message, --stdin, --dmx",
                ExitCodes.Usage);
        }

        var rate = parseResult.GetValue(Rate);
        var count = parseResult.GetValue(Count);
        if (rate is { } r && (r <= 0 || !double.IsFinite(r)))
        {
            throw new CliException("--rate: give messages per second above 0, e.g. --rate 30", ExitCodes.Usage);
        }

        if (count is <= 0)
        {
            throw new CliException("--count: give a number above 0", ExitCodes.Usage);
        }

        if (stdin)
        {
            return rate is null && count is null
                ? new PublishPlan(null, 0, null)
                : throw new CliException("--stdin sends each line as it comes: --rate and --count do not apply", ExitCodes.Usage);
        }

        var payload = dmx is null
            ? new JsonMessagePayload(JsonPayload.Validate(json!, "the message"))
            : BindBinary(parseResult, dmx);
        RejectUnused(parseResult, dmx is not null);

        // Once by default; --count alone streams at a gentle default rate; --rate alone runs until Ctrl-C.
        return (rate, count) switch
        {
            (null, null) => new PublishPlan(payload, DefaultStreamRate, 1),
            (null, { } n) => new PublishPlan(payload, DefaultStreamRate, n),
            ({ } hz, var n) => new PublishPlan(payload, hz, n),
        };
    }

    private IPayload BindBinary(ParseResult parseResult, string dmx)
    {
        var values = DmxValues.Parse(dmx);
        var length = parseResult.GetValue(Length);
        if (length is < 1 or > DmxValues.MaxChannels)
        {
            throw new CliException("--length: give 1 to 512 channels", ExitCodes.Usage);
        }

        var meta = parseResult.GetValue(Meta) is { } text ? JsonPayload.ValidateObject(text, "--meta") : null;
        if (!parseResult.GetValue(ArtNet))
        {
            return new DmxPayload(values, length, meta);
        }

        // Metadata rides beside the packet, as the Python SDK allows; the packet still carries its own address.
        var address = new ArtNetAddress(
            InRange(parseResult.GetValue(Universe), 15, "--universe"),
            InRange(parseResult.GetValue(Subnet), 15, "--subnet"),
            InRange(parseResult.GetValue(Net), 127, "--net"),
            InRange(parseResult.GetValue(Physical), 255, "--physical"));
        return new ArtNetPayload(values, length, address, meta);
    }

    private void RejectUnused(ParseResult parseResult, bool binary)
    {
        if (binary)
        {
            return;
        }

        foreach (var option in new Option[] { ArtNet, Universe, Subnet, Net, Physical, Meta, Length })
        {
            if (parseResult.GetResult(option) is { Implicit: false })
            {
                throw new CliException($"{option.Name} needs --dmx VALUES", ExitCodes.Usage);
            }
        }
    }

    private static int InRange(int value, int max, string name) => value >= 0 && value <= max
        ? value
        : throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{name}: give 0 to {max}"), ExitCodes.Usage);
}
