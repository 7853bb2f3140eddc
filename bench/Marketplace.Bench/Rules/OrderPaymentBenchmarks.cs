using BenchmarkDotNet.Attributes;
using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;

namespace Marketplace.Bench.Rules;

/// <summary>
/// <see cref="Order.RecordPayment"/> for the common cases. An order changes as it is paid, so each
/// call builds a fresh one: <c>new order</c> is that cost alone, the baseline to subtract.
/// </summary>
[MemoryDiagnoser]
public class OrderPaymentBenchmarks
{
    private static readonly DateTimeOffset Placed = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(30);
    private static readonly PaymentRules Rules = PaymentRules.Default;
    private static readonly PaymentDestination Destination = new(Guid.NewGuid(), "qiwi", "+79001234567", Sandbox: true);
    private static readonly Guid Buyer = Guid.NewGuid(), Seller = Guid.NewGuid(), Listing = Guid.NewGuid(), Wallet = Guid.NewGuid();
    private const string Code = "7KQ3MXW9PA";

    private static readonly ObservedTransfer Exact = Transfer("1001", 300m, Placed.AddMinutes(3));
    private static readonly ObservedTransfer FirstHalf = Transfer("1002", 150m, Placed.AddMinutes(3));
    private static readonly ObservedTransfer SecondHalf = Transfer("1003", 150m, Placed.AddMinutes(4));
    private static readonly ObservedTransfer Late = Transfer("1004", 300m, Placed + Window + TimeSpan.FromMinutes(10));
    private static readonly ObservedTransfer WrongCurrency = Transfer("1005", 300m, Placed.AddMinutes(3), "USD");

    private static ObservedTransfer Transfer(string id, decimal amount, DateTimeOffset at, string currency = "RUB") =>
        new(id, at, amount, currency, TransferStatus.Succeeded, Code, "+79990000000");

    private static Order NewOrder() =>
        new(Guid.NewGuid(), Buyer, Seller, Listing, Destination, 2, new Money(150m, "RUB"), Code, Placed, Window);

    private static PaymentOutcome Pay(Order order, ObservedTransfer transfer)
    {
        // What TransferRecorder does: record the transfer unmatched, then let the order named by its comment decide.
        var payment = new IncomingPayment(Guid.NewGuid(), "qiwi", Wallet, transfer, PaymentOutcome.Unmatched, transfer.OccurredAt);
        return order.RecordPayment(payment, transfer, PaymentSource.Comment, Rules, transfer.OccurredAt.AddSeconds(30));
    }

    [Benchmark(Baseline = true, Description = "new order (baseline)")]
    public Order NewOrderOnly() => NewOrder();

    [Benchmark(Description = "exact payment")]
    public PaymentOutcome ExactPayment() => Pay(NewOrder(), Exact);

    [Benchmark(Description = "split in two")]
    public PaymentOutcome SplitPayment()
    {
        var order = NewOrder();
        Pay(order, FirstHalf);
        return Pay(order, SecondHalf);
    }

    [Benchmark(Description = "late (in monitoring window)")]
    public PaymentOutcome LatePayment() => Pay(NewOrder(), Late);

    [Benchmark(Description = "wrong currency")]
    public PaymentOutcome WrongCurrencyPayment() => Pay(NewOrder(), WrongCurrency);
}
