using System.Text.Json.Nodes;
using Marketplace.Api.Endpoints;
using Marketplace.Application.Accounts.ApiKeys;
using Marketplace.Application.Accounts.ChangePassword;
using Marketplace.Application.Accounts.Login;
using Marketplace.Application.Accounts.RefreshSession;
using Marketplace.Application.Accounts.Register;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Disputes;
using Marketplace.Application.Listings.CreateListing;
using Marketplace.Application.Orders.PlaceOrder;
using Marketplace.Application.Wallets.ConnectWallet;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Marketplace.Api.Hosting.OpenApi;

/// <summary>
/// An example for each request body (and for money), as a client would send it: Swagger UI prefills
/// them, generated documentation shows them, and Spectral checks each one against its schema.
/// </summary>
public sealed class SchemaExamples : ISchemaFilter
{
    private static readonly Guid ExampleWallet = Guid.Parse("3f2b8c1e-6a4d-4e2f-9b1a-7c5d2e8f0a13");
    private static readonly Guid ExampleListing = Guid.Parse("8d1e4a27-2c9b-4f63-a0d5-1b7e3c9f6a42");
    private static readonly Guid ExampleOrder = Guid.Parse("c4a7e2d1-9f3b-4a85-b6e0-2d8c1f5a7b39");

    private static readonly Dictionary<Type, Func<JsonNode>> Examples = new()
    {
        [typeof(MoneyDto)] = () => Money(150.00m),
        [typeof(RegisterCommand)] = () => new JsonObject { ["email"] = "seller@example.com", ["password"] = "correct horse battery staple" },
        [typeof(ChangeAccountRequest)] = () => new JsonObject { ["displayName"] = "Pixel Keys" },
        [typeof(LoginCommand)] = () => new JsonObject { ["email"] = "seller@example.com", ["password"] = "correct horse battery staple" },
        [typeof(RefreshSessionCommand)] = () => new JsonObject { ["refreshToken"] = "r1.Zm9vYmFyYmF6cXV4cXV1eGNvcmdl" },
        [typeof(ChangePasswordCommand)] = () => new JsonObject
        {
            ["currentPassword"] = "correct horse battery staple",
            ["newPassword"] = "another long passphrase 2026",
        },
        [typeof(ConnectWalletCommand)] = () => new JsonObject
        {
            ["provider"] = "qiwi",
            ["account"] = "+79991234567",
            ["token"] = "qiwi-api-token-from-qiwi.com/api",
            ["push"] = false,
            ["replaceExistingHook"] = false,
        },
        [typeof(CreateListingCommand)] = () => new JsonObject
        {
            ["title"] = "Steam key: Portal 2",
            ["description"] = "Global key, activates on Steam.",
            ["category"] = "game-keys",
            ["price"] = Money(150.00m),
            ["walletId"] = ExampleWallet.ToString(),
            ["paymentWindowMinutes"] = 30,
            ["maxQuantityPerOrder"] = 5,
            ["protectionHours"] = 72,
        },
        [typeof(ListingEndpoints.EditListingRequest)] = () => new JsonObject { ["price"] = Money(135.00m), ["maxQuantityPerOrder"] = 3 },
        [typeof(ListingEndpoints.RemoveItemsRequest)] = () => new JsonObject { ["itemIds"] = new JsonArray("6b0f2c4e-8d1a-4e7b-9c3f-5a2d1e0b7c64") },
        [typeof(ListingEndpoints.AddItemsRequest)] = () => new JsonObject { ["items"] = new JsonArray("AAAAA-BBBBB-CCCCC", "DDDDD-EEEEE-FFFFF") },
        [typeof(PlaceOrderCommand)] = () => new JsonObject { ["listingId"] = ExampleListing.ToString(), ["quantity"] = 1 },
        [typeof(ClaimPaymentRequest)] = () => new JsonObject { ["transactionId"] = "29473826011", ["payerAccount"] = "+79997654321" },
        [typeof(OpenDisputeRequest)] = () => new JsonObject { ["reason"] = "KeyInvalid", ["description"] = "Steam says the key is invalid." },
        [typeof(RatingRequest)] = () => new JsonObject { ["stars"] = 5, ["comment"] = "Key arrived within a minute." },
        [typeof(DisputeMessageRequest)] = () => new JsonObject { ["text"] = "Here is a screenshot of the activation error." },
        [typeof(ContestRequest)] = () => new JsonObject { ["statement"] = "The key was revealed and activated on the buyer's account." },
        [typeof(RefundReportRequest)] = () => new JsonObject { ["transactionId"] = "29473826099" },
        [typeof(RefundSendRequest)] = () => new JsonObject { ["amount"] = 150.00m },
        [typeof(DecisionRequest)] = () => new JsonObject { ["decision"] = "ForBuyer", ["note"] = "The activation log shows the key was already used." },
        [typeof(AttachTransferRequest)] = () => new JsonObject { ["orderId"] = ExampleOrder.ToString() },
        [typeof(ResolveTransferRequest)] = () => new JsonObject { ["note"] = "Refunded to the sender outside the marketplace." },
        [typeof(GrantModeratorCommand)] = () => new JsonObject { ["email"] = "moderator@example.com" },
        [typeof(CreateApiKeyCommand)] = () => new JsonObject
        {
            ["name"] = "delivery-bot",
            ["scopes"] = new JsonArray("listings:write", "orders:read", "webhooks:write"),
            ["expiresAt"] = "2027-06-30T00:00:00Z",
        },
        [typeof(CreateWebhookEndpointRequest)] = () => new JsonObject
        {
            ["url"] = "https://shop.example.com/marketplace/webhooks",
            ["eventTypes"] = new JsonArray("order.delivered", "order.expired", "dispute.opened"),
            ["description"] = "Storefront order sync",
        },
        [typeof(UpdateWebhookEndpointRequest)] = () => new JsonObject { ["eventTypes"] = new JsonArray("order.delivered"), ["enabled"] = true },
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema target && Examples.TryGetValue(context.Type, out var example)) target.Example = example();
    }

    /// <summary>Whether a type has an example here: the contract test requires one for every request body.</summary>
    public static bool Covers(Type type) => Examples.ContainsKey(type);

    private static JsonObject Money(decimal amount) => new() { ["amount"] = amount, ["currency"] = "RUB" };
}
