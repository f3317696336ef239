namespace DataNet.Cli.Pub;

/// <summary>What to send and how often. A null payload means: one JSON message per stdin line.</summary>
internal sealed record PublishPlan(IPayload? Payload, double RateHz, long? Count);
