namespace DataNet.Cli.Demo;

/// <summary>What the demo runs on, for its header lines.</summary>
internal sealed record DemoInfo(string GatewayUrl, string[] Channels, double PublishRateHz, int RowLimit);
