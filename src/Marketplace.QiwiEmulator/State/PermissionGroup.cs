namespace Marketplace.QiwiEmulator.State;

/// <summary>QIWI's token permission groups (contract §1), which the user ticked when issuing a token.</summary>
[Flags]
public enum PermissionGroup
{
    None = 0,
    ProfileRead = 1,
    BalanceRead = 2,
    HistoryRead = 4,
    PaymentsNoSms = 8,
    /// <summary>The fifth group, added later: the QIWI Master virtual-card API (which also needs groups 1, 3 and 4).</summary>
    VirtualCards = 16,
    All = ProfileRead | BalanceRead | HistoryRead | PaymentsNoSms | VirtualCards,
}
