using System.Collections.Generic;

namespace DataNet.Gateway.Limits;

/// <summary>
/// Distinct devices connected per project, for <c>device_limit_reached</c>. A device is its deviceId
/// (so a reconnect of the same device does not count twice) or, without one, its connection.
/// </summary>
internal sealed class DeviceRegistry
{
    private readonly Dictionary<(string Project, string Device), int> _connections = [];
    private readonly Dictionary<string, int> _devicesPerProject = [];
    private readonly object _gate = new();

    /// <summary>Counts one more connection of <paramref name="device"/>; false when that would exceed <paramref name="limit"/> (0: none).</summary>
    public bool TryAcquire(string project, string device, int limit)
    {
        lock (_gate)
        {
            if (_connections.TryGetValue((project, device), out var count))
            {
                _connections[(project, device)] = count + 1;
                return true;
            }
            _devicesPerProject.TryGetValue(project, out var devices);
            if (limit > 0 && devices >= limit)
            {
                return false;
            }
            _connections[(project, device)] = 1;
            _devicesPerProject[project] = devices + 1;
            return true;
        }
    }

    public void Release(string project, string device)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue((project, device), out var count))
            {
                return;
            }
            if (count > 1)
            {
                _connections[(project, device)] = count - 1;
                return;
            }
            _connections.Remove((project, device));
            _devicesPerProject[project]--;
        }
    }

    public int DeviceCount(string project)
    {
        lock (_gate)
        {
            return _devicesPerProject.TryGetValue(project, out var devices) ? devices : 0;
        }
    }
}
