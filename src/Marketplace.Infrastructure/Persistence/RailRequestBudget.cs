namespace Marketplace.Infrastructure.Persistence;

/// <summary>
/// One wallet's request budget on its rail, shared by every instance of the service
/// (<see cref="Payments.DatabaseRequestBudget"/>). Written only by one atomic upsert per request, never
/// through change tracking; the properties exist so the model (and the migrations) know the table.
/// </summary>
public sealed class RailRequestBudget
{
    /// <summary>Width of one entry of <see cref="RecentRequests"/>: Unix milliseconds, zero-padded.</summary>
    public const int StampWidth = 13;

    private RailRequestBudget() { }

    /// <summary>The rail's name and a hash of the wallet's token ("qiwi:3f2a..."), never the token.</summary>
    public string Key { get; private set; } = "";

    /// <summary>
    /// When the most recent granted requests were made, oldest first, as <see cref="StampWidth"/>-digit Unix
    /// milliseconds run together: at most as many entries as the limit, which is all an exact sliding
    /// window needs (the request a limit back must be older than the window).
    /// </summary>
    public string RecentRequests { get; private set; } = "";

    /// <summary>Whether the last take was granted: how the statement that decides reports its decision.</summary>
    public bool LastTakeGranted { get; private set; }

    /// <summary>The rail blocked the wallet (QIWI: 423, five minutes): nobody calls for it before this.</summary>
    public DateTimeOffset? BlockedUntil { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
}
