using Marketplace.Application.Common.Interfaces;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Webhooks;

/// <summary>The caller's webhook endpoints, oldest first.</summary>
public sealed record ListWebhookEndpointsQuery : IQuery<IReadOnlyList<WebhookEndpointDto>>;

/// <summary>One of the caller's webhook endpoints (404 for anyone else's).</summary>
public sealed record GetWebhookEndpointQuery(Guid Id) : IQuery<WebhookEndpointDto>;

public sealed class ListWebhookEndpointsHandler(IApplicationDbContext db, ICurrentUser currentUser, TimeProvider clock)
    : IQueryHandler<ListWebhookEndpointsQuery, IReadOnlyList<WebhookEndpointDto>>
{
    public async ValueTask<IReadOnlyList<WebhookEndpointDto>> Handle(ListWebhookEndpointsQuery query, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.RequireAccountId();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.OwnerId == ownerId)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return endpoints.Select(e => WebhookEndpointDto.From(e, now)).ToList();
    }
}

public sealed class GetWebhookEndpointHandler(IApplicationDbContext db, ICurrentUser currentUser, TimeProvider clock)
    : IQueryHandler<GetWebhookEndpointQuery, WebhookEndpointDto>
{
    public async ValueTask<WebhookEndpointDto> Handle(GetWebhookEndpointQuery query, CancellationToken cancellationToken) =>
        WebhookEndpointDto.From(await db.OwnEndpointAsync(currentUser.RequireAccountId(), query.Id, cancellationToken), clock.GetUtcNow());
}
