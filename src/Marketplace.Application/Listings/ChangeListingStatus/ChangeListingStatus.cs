using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.ChangeListingStatus;

public enum ListingStatusChange { Pause, Resume, Archive }

/// <summary>
/// Pause, resume or archive (final) a listing. Only new orders are affected: orders already reserved or paid
/// keep their items and run their course. A seller's pause is the listing's status; a wallet that needs
/// attention pauses it separately (the wallet's status), so neither lifts the other.
/// </summary>
public sealed record ChangeListingStatusCommand(Guid Id, ListingStatusChange Change) : ICommand<ListingView>;

public sealed class ChangeListingStatusHandler(IApplicationDbContext db, ICurrentUser currentUser, ListingViews views, TimeProvider clock)
    : ICommandHandler<ChangeListingStatusCommand, ListingView>
{
    public async ValueTask<ListingView> Handle(ChangeListingStatusCommand command, CancellationToken cancellationToken)
    {
        var sellerId = currentUser.RequireAccountId();
        var listing = await db.Listings.FirstOrDefaultAsync(l => l.Id == command.Id && l.SellerId == sellerId, cancellationToken)
                      ?? throw new NotFoundException("Listing", command.Id);
        var now = clock.GetUtcNow();
        switch (command.Change)
        {
            case ListingStatusChange.Pause: listing.Pause(now); break;
            case ListingStatusChange.Resume: listing.Resume(now); break;
            default: listing.Archive(now); break;
        }

        await db.SaveChangesAsync(cancellationToken);
        return await views.ViewAsync(listing, cancellationToken);
    }
}
