using Marketplace.Domain.Common;

namespace Marketplace.Domain.Wallets.Events;

/// <summary>The rail refused the wallet's token: its listings are paused until the seller reconnects it.</summary>
public sealed record WalletNeedsAttention(Guid WalletId, DateTimeOffset OccurredAt) : IDomainEvent;
