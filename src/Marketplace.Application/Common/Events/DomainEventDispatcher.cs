using System.Collections.Concurrent;
using Marketplace.Domain.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Application.Common.Events;

/// <summary>Runs every registered <see cref="IDomainEventHandler{TEvent}"/> of an event, in registration order.</summary>
public interface IDomainEventDispatcher
{
    Task DispatchAsync(IDomainEvent domainEvent, CancellationToken cancellationToken);
}

public sealed class DomainEventDispatcher(IServiceProvider services) : IDomainEventDispatcher
{
    private static readonly ConcurrentDictionary<Type, Func<IServiceProvider, IDomainEvent, CancellationToken, Task>> Invokers = new();

    public Task DispatchAsync(IDomainEvent domainEvent, CancellationToken cancellationToken) =>
        Invokers.GetOrAdd(domainEvent.GetType(), MakeInvoker)(services, domainEvent, cancellationToken);

    private static Func<IServiceProvider, IDomainEvent, CancellationToken, Task> MakeInvoker(Type eventType) =>
        (Func<IServiceProvider, IDomainEvent, CancellationToken, Task>)typeof(DomainEventDispatcher)
            .GetMethod(nameof(InvokeAll), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(eventType)
            .CreateDelegate(typeof(Func<IServiceProvider, IDomainEvent, CancellationToken, Task>));

    private static async Task InvokeAll<TEvent>(IServiceProvider services, IDomainEvent domainEvent, CancellationToken cancellationToken)
        where TEvent : IDomainEvent
    {
        foreach (var handler in services.GetServices<IDomainEventHandler<TEvent>>())
            await handler.HandleAsync((TEvent)domainEvent, cancellationToken);
    }
}
