using Microsoft.Extensions.Logging;

namespace Marketplace.Bench.Import;

/// <summary>
/// Prints the import's own log lines (its phases and their timings; the service never logs keys) as they come,
/// so a run shows where the time went: reading, hashing and encryption, storing.
/// </summary>
public sealed class PhaseLog(string categoryPrefix) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(categoryPrefix, StringComparison.Ordinal) ? new Printer() : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Printer : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) Console.WriteLine($"    {formatter(state, exception)}");
        }
    }
}
