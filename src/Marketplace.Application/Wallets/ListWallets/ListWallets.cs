using Marketplace.Application.Common.Interfaces;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Wallets.ListWallets;

public sealed record ListWalletsQuery : IQuery<IReadOnlyList<WalletDto>>;

public sealed class ListWalletsHandler(IApplicationDbContext db, ICurrentUser currentUser)
    : IQueryHandler<ListWalletsQuery, IReadOnlyList<WalletDto>>
{
    public async ValueTask<IReadOnlyList<WalletDto>> Handle(ListWalletsQuery query, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.RequireAccountId();
        var wallets = await db.Wallets.AsNoTracking()
            .Where(w => w.OwnerId == ownerId)
            .ToListAsync(cancellationToken);
        return wallets.OrderBy(w => w.CreatedAt).Select(WalletDto.From).ToList();
    }
}
