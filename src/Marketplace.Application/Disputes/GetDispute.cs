using Mediator;

namespace Marketplace.Application.Disputes;

/// <summary>One dispute with its whole thread, for its buyer, its seller or a moderator (404 for anyone else).</summary>
public sealed record GetDisputeQuery(Guid Id) : IQuery<DisputeDto>;

public sealed class GetDisputeHandler(DisputeAccess access) : IQueryHandler<GetDisputeQuery, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(GetDisputeQuery query, CancellationToken cancellationToken)
    {
        var (dispute, _, role) = await access.LoadAsync(query.Id, tracked: false, cancellationToken);
        return DisputeDto.From(dispute, role);
    }
}
