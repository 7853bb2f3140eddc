using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Marketplace.Bench.Hosting;

/// <summary>Counts the service's warnings and errors by category and first words, e.g. wallet reads refused for want of request budget.</summary>
public sealed class LogCounter : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => new Counter(this, categoryName);

    public int Count(Func<string, bool> match) => _counts.Where(p => match(p.Key)).Sum(p => p.Value);

    public IReadOnlyDictionary<string, int> Counts => new Dictionary<string, int>(_counts, StringComparer.Ordinal);

    public void Reset() => _counts.Clear();

    public void Dispose()
    {
    }

    private sealed class Counter(LogCounter owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var key = $"{logLevel} {category.Split('.')[^1]}: {(exception as Exception)?.GetType().Name ?? ""} {Shorten(formatter(state, exception))}";
            owner._counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        }

        private static string Shorten(string message)
        {
            // Drop ids so entries of one kind add up: "Reading wallet 2cd7... failed (RateLimited): ..." → "Reading wallet … failed (RateLimited)".
            var words = message.Split(' ').Select(w => Guid.TryParse(w.Trim('.', ',', ':'), out _) ? "…" : w);
            var text = string.Join(' ', words);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? text[..colon] : text.Length > 80 ? text[..80] : text;
        }
    }
}
