using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Webhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Webhooks;

/// <summary>An endpoint's delivery log, newest first (owner only, 404 otherwise).</summary>
public sealed record ListWebhookDeliveriesQuery(Guid EndpointId, int Page = 1, int PageSize = 20) : IQuery<PagedResult<WebhookDeliveryDto>>;

public sealed class ListWebhookDeliveriesValidator : AbstractValidator<ListWebhookDeliveriesQuery>
{
    public ListWebhookDeliveriesValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, 100);
    }
}

public sealed class ListWebhookDeliveriesHandler(IApplicationDbContext db, ICurrentUser currentUser)
    : IQueryHandler<ListWebhookDeliveriesQuery, PagedResult<WebhookDeliveryDto>>
{
    public async ValueTask<PagedResult<WebhookDeliveryDto>> Handle(ListWebhookDeliveriesQuery query, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.RequireAccountId();
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == query.EndpointId && e.OwnerId == ownerId, cancellationToken))
            throw new NotFoundException("WebhookEndpoint", query.EndpointId);
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == query.EndpointId);
        var total = await deliveries.CountAsync(cancellationToken);
        var page = await deliveries
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Join(db.WebhookEvents, d => d.EventId, e => e.Id, (d, e) => new { Delivery = d, e.Type })
            .ToListAsync(cancellationToken);
        return new PagedResult<WebhookDeliveryDto>(page.Select(p => WebhookDeliveryDto.From(p.Delivery, p.Type)).ToList(),
            query.Page, query.PageSize, total);
    }
}

/// <summary>Sends an event of the log again, now, as a new delivery (same Webhook-Id: receivers deduplicate by it).</summary>
public sealed record RedeliverWebhookCommand(Guid EndpointId, Guid DeliveryId) : ICommand<WebhookDeliveryDto>;

public sealed class RedeliverWebhookHandler(IApplicationDbContext db, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<RedeliverWebhookCommand, WebhookDeliveryDto>
{
    public async ValueTask<WebhookDeliveryDto> Handle(RedeliverWebhookCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.OwnEndpointAsync(currentUser.RequireAccountId(), command.EndpointId, cancellationToken);
        var original = await db.WebhookDeliveries.AsNoTracking()
                           .Where(d => d.Id == command.DeliveryId && d.EndpointId == endpoint.Id)
                           .Join(db.WebhookEvents, d => d.EventId, e => e.Id, (d, e) => new { d.EventId, e.Type })
                           .FirstOrDefaultAsync(cancellationToken)
                       ?? throw new NotFoundException("WebhookDelivery", command.DeliveryId);
        EnsureEnabled(endpoint);
        var delivery = new WebhookDelivery(Guid.NewGuid(), original.EventId, endpoint.Id, clock.GetUtcNow());
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        return WebhookDeliveryDto.From(delivery, original.Type);
    }

    internal static void EnsureEnabled(WebhookEndpoint endpoint)
    {
        if (!endpoint.Enabled)
            throw new ConflictException("webhook.disabled", "The endpoint is disabled; enable it (PATCH enabled=true) first.");
    }
}

/// <summary>Sends a <c>ping</c> event to the endpoint now, whatever it subscribes to: a check of the receiver and its signature code.</summary>
public sealed record SendTestWebhookCommand(Guid EndpointId) : ICommand<WebhookDeliveryDto>;

/// <summary>The data of a ping.</summary>
public sealed record WebhookPingDto(Guid EndpointId, string Message);

public sealed class SendTestWebhookHandler(IApplicationDbContext db, ICurrentUser currentUser, WebhookOutbox outbox, TimeProvider clock)
    : ICommandHandler<SendTestWebhookCommand, WebhookDeliveryDto>
{
    public async ValueTask<WebhookDeliveryDto> Handle(SendTestWebhookCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.OwnEndpointAsync(currentUser.RequireAccountId(), command.EndpointId, cancellationToken);
        RedeliverWebhookHandler.EnsureEnabled(endpoint);
        var delivery = outbox.PublishTo(endpoint, WebhookEventTypes.Ping,
            new WebhookPingDto(endpoint.Id, "A test event from the marketplace: your endpoint is reachable."), clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return WebhookDeliveryDto.From(delivery, WebhookEventTypes.Ping);
    }
}
