using Marketplace.Application.Common.Behaviors;
using Marketplace.Application.Common.Exceptions;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>What the message log says: a caller's refused request is information, a cancelled one is not a failure, a fault is an error.</summary>
public sealed class LoggingBehaviorTests
{
    private sealed record Probe : ICommand<int>;

    private sealed class Levels : ILogger<LoggingBehavior<Probe, int>>
    {
        public List<LogLevel> Logged { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Logged.Add(logLevel);
    }

    private static async Task<LogLevel> LevelOfAsync(Exception thrown, CancellationToken cancellationToken = default)
    {
        var logger = new Levels();
        var behavior = new LoggingBehavior<Probe, int>(logger);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await behavior.Handle(new Probe(), (_, _) => throw thrown, cancellationToken));
        return Assert.Single(logger.Logged);
    }

    [Fact]
    public async Task A_forbidden_request_is_information() =>
        Assert.Equal(LogLevel.Information, await LevelOfAsync(new ForbiddenException("dispute.not_party", "Not yours.")));

    [Fact]
    public async Task A_conflict_is_information() =>
        Assert.Equal(LogLevel.Information, await LevelOfAsync(new ConflictException("order.out_of_stock", "Sold out.")));

    [Fact]
    public async Task A_request_the_caller_cancelled_is_debug()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Assert.Equal(LogLevel.Debug, await LevelOfAsync(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }

    [Fact]
    public async Task A_timeout_nobody_asked_for_is_an_error() =>
        Assert.Equal(LogLevel.Error, await LevelOfAsync(new OperationCanceledException()));

    [Fact]
    public async Task A_fault_is_an_error() =>
        Assert.Equal(LogLevel.Error, await LevelOfAsync(new InvalidOperationException("bug")));
}
