using Marketplace.QiwiEmulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>Webhooks (contract §7): register, read, delete, key, new key, test. All need the payments group.</summary>
internal static class WebhookEndpoints
{
    private const string Service = "payment-notifier";

    public static void Map(IEndpointRouteBuilder routes)
    {
        var hooks = routes.MapGroup("/payment-notifier/v1/hooks");

        hooks.MapPut("", async (HttpRequest request, EmulatorState state, int? hookType, string? param, int? txnType) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.PaymentsNoSms);
            if (auth.Wallet is not { } wallet) return QiwiResponses.Denied(auth, Service);
            var result = await state.RegisterHookAsync(wallet, param, hookType ?? 0, txnType ?? -1, request.HttpContext.RequestAborted);
            return result.Hook is { } hook
                ? QiwiResponses.Ok(Describe(hook))
                : QiwiResponses.EdgeError(result.Status, Service, result.Status == 500 ? "internal.error" : "hook.invalid", result.Error!);
        });

        hooks.MapGet("/active", (HttpRequest request, EmulatorState state) =>
            WithWallet(request, state, wallet => state.ActiveHook(wallet) is { } hook
                ? QiwiResponses.Ok(Describe(hook))
                : QiwiResponses.EdgeError(404, Service, "hook.not.found", "No active hook")));

        // Literal segments first: "test" is not a hook id.
        hooks.MapGet("/test", (HttpRequest request, EmulatorState state) =>
            WithWallet(request, state, wallet => state.SendTestNotification(wallet) switch
            {
                TestNotificationResult.Queued => QiwiResponses.Ok(new { response = "Webhook sent" }),
                // QIWI's rate-limit answer (contract §9.1): 423 with request.blocked.
                TestNotificationResult.TooManyPending => QiwiResponses.EdgeError(423, Service, "request.blocked",
                    "Too many notifications are waiting for delivery; try again later"),
                _ => QiwiResponses.EdgeError(404, Service, "hook.not.found", "No active hook"),
            }));

        hooks.MapDelete("/{hookId}", (HttpRequest request, EmulatorState state, string hookId) =>
            WithWallet(request, state, wallet => state.DeleteHook(wallet, hookId)
                ? QiwiResponses.Ok(new { response = "Hook deleted" })
                : QiwiResponses.EdgeError(404, Service, "hook.not.found", "No such hook")));

        hooks.MapGet("/{hookId}/key", (HttpRequest request, EmulatorState state, string hookId) =>
            WithWallet(request, state, wallet => state.ActiveHook(wallet) is { } hook && hook.HookId == hookId
                ? QiwiResponses.Ok(new { key = hook.Key })
                : QiwiResponses.EdgeError(404, Service, "hook.not.found", "No such hook")));

        hooks.MapPost("/{hookId}/newkey", (HttpRequest request, EmulatorState state, string hookId) =>
            WithWallet(request, state, wallet => state.RotateHookKey(wallet, hookId) is { } key
                ? QiwiResponses.Ok(new { key })
                : QiwiResponses.EdgeError(404, Service, "hook.not.found", "No such hook")));
    }

    private static object Describe(EmulatorHook hook) => new
    {
        hookId = hook.HookId,
        hookParameters = new { url = hook.Url },
        hookType = "WEB",
        txnType = hook.TxnType switch { 0 => "IN", 1 => "OUT", _ => "BOTH" },
    };

    private static IResult WithWallet(HttpRequest request, EmulatorState state, Func<EmulatorWallet, IResult> action)
    {
        var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.PaymentsNoSms);
        return auth.Wallet is { } wallet ? action(wallet) : QiwiResponses.Denied(auth, Service);
    }
}
