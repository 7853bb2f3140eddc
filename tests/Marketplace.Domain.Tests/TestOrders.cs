using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;

namespace Marketplace.Domain.Tests;

/// <summary>Orders and transfers for the payment rule tests: 2 x 150.00 RUB, placed at noon, 30 minutes to pay.</summary>
internal static class TestOrders
{
    public static readonly DateTimeOffset Placed = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(30);
    public static readonly DateTimeOffset Deadline = Placed + Window;
    public static readonly PaymentRules Rules = PaymentRules.Default;
    public const string Code = "7KQ3MXW9PA";

    /// <summary>A placed order whose placement event (OrderPlaced) is already handled: the payment tests see only what payments raise.</summary>
    public static Order New(decimal price = 150m, int quantity = 2, string currency = "RUB")
    {
        var order = JustPlaced(price, quantity, currency);
        order.ClearDomainEvents();
        return order;
    }

    /// <summary>A newly placed order, with its placement event still raised.</summary>
    public static Order JustPlaced(decimal price = 150m, int quantity = 2, string currency = "RUB") => new(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
        new PaymentDestination(Guid.NewGuid(), "qiwi", "+79001234567", Sandbox: true),
        quantity, new Money(price, currency), Code, Placed, Window);

    public static ObservedTransfer Transfer(
        string id, decimal amount, DateTimeOffset at, string? currency = "RUB", TransferStatus status = TransferStatus.Succeeded) =>
        new(id, at, amount, currency, status, Code, "+79990000000");

    /// <summary>What the recorder does with a final successful transfer: record it unmatched, then let the order decide it.</summary>
    public static IncomingPayment Record(ObservedTransfer transfer) =>
        new(Guid.NewGuid(), "qiwi", Guid.NewGuid(), transfer, PaymentOutcome.Unmatched, transfer.OccurredAt);

    public static PaymentOutcome Pay(
        this Order order, string id, decimal amount, DateTimeOffset at, string? currency = "RUB",
        PaymentSource source = PaymentSource.Comment, DateTimeOffset? now = null) =>
        order.Pay(Transfer(id, amount, at, currency), source, now);

    public static PaymentOutcome Pay(this Order order, ObservedTransfer transfer, PaymentSource source = PaymentSource.Comment, DateTimeOffset? now = null) =>
        order.RecordPayment(Record(transfer), transfer, source, Rules, now ?? transfer.OccurredAt.AddSeconds(30));

    public static bool Pending(this Order order, string id, decimal amount, DateTimeOffset at, string? currency = "RUB") =>
        order.RecordPendingPayment(Transfer(id, amount, at, currency, TransferStatus.Pending), Rules, at.AddSeconds(30));

    public static OrderHistoryEntry LastEntry(this Order order) => order.History[^1];

    public static T Single<T>(this Order order) => Assert.Single(order.DomainEvents.OfType<T>());
}
