using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace DataNet.Testing;

/// <summary>One captured log event: level, category, the formatted text and every structured value.</summary>
public sealed record CapturedLog(LogLevel Level, string Category, string Message, IReadOnlyList<string> Values)
{
    /// <summary>True when the text or any structured value contains <paramref name="fragment"/>.</summary>
    public bool Mentions(string fragment) =>
        Message.Contains(fragment, StringComparison.Ordinal) || Values.Any(v => v.Contains(fragment, StringComparison.Ordinal));
}

/// <summary>Keeps every log event in memory so tests can assert on them (e.g. that no secret is logged).</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyCollection<CapturedLog> Logs => _logs.ToArray();

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _logs);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => $"{p.Key}={p.Value}").ToList()
                : [];
            if (exception is not null)
            {
                values.Add(exception.ToString());
            }
            logs.Enqueue(new CapturedLog(logLevel, category, formatter(state, exception), values));
        }
    }
}
