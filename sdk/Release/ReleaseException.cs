using System;

namespace DataNet.Release;

/// <summary>A step of the release failed; the message says which and why, in one line.</summary>
internal sealed class ReleaseException(string message) : Exception(message);
