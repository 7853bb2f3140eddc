using Marketplace.Application.Payments.Push;
using Mediator;

namespace Marketplace.Api.Endpoints;

/// <summary>
/// Where payment rails push notifications (registered per wallet when the seller opts in). Anonymous
/// by nature: the rail signs the body with the hook's key, and only a verified notification does
/// anything, and only "read this wallet now".
/// </summary>
public static class PushNotificationEndpoints
{
    /// <summary>A rail's notification is a few hundred bytes; anything much bigger is not one.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The callback path for a wallet; QIWI accepts at most 100 characters of URL, so it is short.</summary>
    public static string CallbackPath(string method, Guid walletId) => $"/api/v1/hooks/{method}/{walletId:N}";

    public static void MapPushNotificationEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/hooks/{method}/{walletId:guid}", async (string method, Guid walletId, HttpRequest request, ISender sender, CancellationToken ct) =>
            {
                var body = await ReadBodyAsync(request, ct);
                if (body is null) return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The notification is too large.");
                var receipt = await sender.Send(new ReceivePushNotificationCommand(method, walletId, body), ct);
                // Refused looks the same whatever the reason (unknown wallet, no hook, bad signature): nothing to probe.
                // 403, not 401: there is no credential to retry with, the body itself failed verification.
                return receipt == PushReceipt.Refused
                    ? Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The notification could not be verified.")
                    : Results.Ok();
            })
            .AllowAnonymous()
            .WithTags("Payment notifications")
            .WithName("ReceiveRailNotification")
            .WithSummary("Receive a payment rail's notification")
            .WithDescription("Push notifications from a payment rail (QIWI webhooks). Called by the rail, not by clients.")
            .Accepts<object>("application/json")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
