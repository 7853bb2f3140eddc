using Marketplace.Application.Common.Exceptions;

namespace Marketplace.Application.Accounts;

public static class DisplayNames
{
    /// <summary>The answer when a name's key (<see cref="Domain.Accounts.DisplayName.Key"/>) belongs to another account.</summary>
    public static ConflictException Taken() =>
        new("account.display_name_taken", "Another account's display name is the same or too similar (case, spacing, punctuation and look-alike letters are ignored).");
}
