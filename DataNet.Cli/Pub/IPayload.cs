using DataNet.Td;

namespace DataNet.Cli.Pub;

/// <summary>What <c>datanet pub</c> sends, one message per call.</summary>
internal interface IPayload
{
    /// <summary>Short description for the summary line ("JSON", "DMX, 512 channels").</summary>
    string Describe();

    /// <summary>Queues message number <paramref name="index"/> (0-based); false when the client dropped it.</summary>
    bool Publish(DataNetClient client, string channel, long index);
}
