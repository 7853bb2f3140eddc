using Marketplace.QiwiEmulator.State;
using Microsoft.AspNetCore.Http;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>Applies the admin-configured faults (<see cref="FaultPlan"/>) to every QIWI path, before the endpoint runs.</summary>
internal sealed class FaultInjection(EmulatorState state) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var plan = state.Faults.Current;
        if (plan.LatencyMs > 0) await Task.Delay(plan.LatencyMs, http.RequestAborted);

        switch (state.Faults.Next(http.Request.Path.Value ?? ""))
        {
            case FaultKind.ServerError:
                return QiwiResponses.EdgeError(500, "emulator", "internal.error", "Injected server error");
            case FaultKind.Timeout:
                // Hang until the client gives up (or a minute passes).
                await Task.Delay(TimeSpan.FromMinutes(1), http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.StatusCode(504);
            case FaultKind.MalformedJson:
                return Results.Text("{\"data\":[{\"txnId\":", "application/json", statusCode: 200);
            case FaultKind.LostResponse:
                await next(context); // the work is done...
                return QiwiResponses.EdgeError(502, "emulator", "gateway.error", "Injected lost response"); // ...but the caller never hears of it
        }

        return await next(context);
    }
}
