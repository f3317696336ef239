using DataNet.Td;

namespace DataNet.Cli.Pub;

/// <summary>The same JSON value every time.</summary>
internal sealed class JsonMessagePayload(string json) : IPayload
{
    public string Json { get; } = json;

    public string Describe() => "JSON";

    public bool Publish(DataNetClient client, string channel, long index) => client.Publish(channel, Json);
}
