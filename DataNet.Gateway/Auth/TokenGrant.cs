namespace DataNet.Gateway.Auth;

/// <summary>The inputs of one issued token: the key's rights plus the caller's optional identity.</summary>
internal sealed record TokenGrant(ApiKeyConfig Key, string? DeviceId, string? ClientId, string? DeviceName);
