using Marketplace.Application.Payments.Rails;
using Marketplace.Infrastructure.Payments;

namespace Marketplace.Domain.Tests;

/// <summary>The registry hands out what each rail registered, by payment method and capability, and nothing it did not.</summary>
public sealed class RailRegistryTests
{
    private static readonly PaymentMethodId Qiwi = new("qiwi");
    private static readonly PaymentMethodId Other = new("other-wallet");

    [Fact]
    public void A_capability_is_found_under_its_method_only()
    {
        var links = new Links(Qiwi);
        var registry = new RailRegistry([links, new Lookup(Other)]);

        Assert.Same(links, registry.Find<IPaymentLinkBuilder>(Qiwi));
        Assert.Null(registry.Find<ITransferLookup>(Qiwi)); // qiwi registered no lookup here
        Assert.NotNull(registry.Find<ITransferLookup>(Other));
        Assert.Null(registry.Find<IPaymentLinkBuilder>(new PaymentMethodId("unknown")));
        Assert.Equal([Other, Qiwi], registry.Methods);
        var missing = Assert.Throws<InvalidOperationException>(() => ((IRailRegistry)registry).Get<ITransferLookup>(Qiwi));
        Assert.Contains("ITransferLookup", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rail_that_registers_a_capability_twice_is_refused_at_once()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new RailRegistry([new Links(Qiwi), new Links(Qiwi)]));

        Assert.Contains("IPaymentLinkBuilder", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" QIWI ", "qiwi")]
    [InlineData("yoomoney", "yoomoney")]
    [InlineData("", null)]
    [InlineData("qi wi", null)]
    [InlineData(null, null)]
    public void Method_ids_are_read_in_any_case_and_refused_when_malformed(string? text, string? expected) =>
        Assert.Equal(expected, PaymentMethodId.TryParse(text)?.Value);

    private sealed class Links(PaymentMethodId method) : IPaymentLinkBuilder
    {
        public PaymentMethodId Method => method;

        public Uri Build(string account, Common.Money amount, string comment) => new("https://pay.example/");
    }

    private sealed class Lookup(PaymentMethodId method) : ITransferLookup
    {
        public PaymentMethodId Method => method;

        public Task<Payments.ObservedTransfer?> FindIncomingAsync(WalletCredentials credentials, string transactionId, CancellationToken cancellationToken) =>
            Task.FromResult<Payments.ObservedTransfer?>(null);
    }
}
