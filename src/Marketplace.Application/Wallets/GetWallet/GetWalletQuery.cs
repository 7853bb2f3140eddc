using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Wallets.GetWallet;

/// <summary>One of the caller's wallets (the resource connecting a wallet creates); anyone else's is not found.</summary>
public sealed record GetWalletQuery(Guid WalletId) : IQuery<WalletDto>;

public sealed class GetWalletHandler(IApplicationDbContext db, ICurrentUser currentUser) : IQueryHandler<GetWalletQuery, WalletDto>
{
    public async ValueTask<WalletDto> Handle(GetWalletQuery query, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.RequireAccountId();
        var wallet = await db.Wallets.AsNoTracking()
            .SingleOrDefaultAsync(w => w.Id == query.WalletId && w.OwnerId == ownerId, cancellationToken);
        return wallet is null ? throw new NotFoundException("Wallet", query.WalletId) : WalletDto.From(wallet);
    }
}
