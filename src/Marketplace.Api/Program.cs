using Marketplace.Api.Endpoints;
using Marketplace.Api.Hosting;
using Marketplace.Application;
using Marketplace.Infrastructure;
using Marketplace.QiwiEmulator;
using Marketplace.Rails.Qiwi;

// The container healthcheck: probe a running instance and exit, without starting a second one.
if (args is [HealthProbe.Command, ..]) return await HealthProbe.RunAsync(args, Console.Out);

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

// Sandbox or Live, decided once; a configuration that could let the sandbox pay for real goods stops here.
var setup = ServiceModeSetup.From(builder.Configuration, builder.Environment);
// Metrics and traces; in Live the scrape endpoint is never open on the public port.
var telemetry = TelemetrySetup.From(builder.Configuration, setup.Mode);
if (telemetry.PrometheusEnabled && telemetry.ManagementPort is { } managementPort) builder.WebHost.ListenOnManagementPort(managementPort);

builder.Services.AddMarketplaceApi(builder.Configuration, setup.Mode);
builder.Services.AddMarketplaceSecurity(builder.Configuration, setup.Mode);
builder.Services.AddMarketplaceRateLimiting();
builder.Services.AddAuthRateLimits(builder.Configuration);
builder.Services.AddSessionAuthentication(builder.Configuration);
builder.Services.AddOrderRateLimits(builder.Configuration);
builder.Services.AddCatalogCache(builder.Configuration);
builder.Services.AddApplication();
builder.Services.AddMarketplaceTelemetry(telemetry);
builder.Services.AddInfrastructure(builder.Configuration);
builder.Services.AddQiwiRail(builder.Configuration);
if (setup.EmbeddedEmulator) builder.Services.AddQiwiEmulator(builder.Configuration);

var app = builder.Build();

await app.Services.MigrateDatabaseAsync();

// An operator's command against this service's database: grant the first moderator, then exit.
if (args is [ModeratorCommand.Name, var moderatorEmail]) return await ModeratorCommand.RunAsync(app.Services, moderatorEmail, Console.Out);

app.UseMarketplaceSecurity(setup.Mode, context => Telemetry.OnManagementPort(context, telemetry));
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestSizeLimit();
app.UseSwagger();
app.UseSwaggerUI(ui =>
{
    ui.SwaggerEndpoint("/swagger/v1/swagger.json", ApiServiceCollectionExtensions.ApiTitle(setup.Mode) + " v1");
    ui.DocumentTitle = ApiServiceCollectionExtensions.ApiTitle(setup.Mode);
});
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseOutputCache();
// After authorization: an Idempotency-Key belongs to the authenticated account.
app.UseIdempotency();

var api = app.MapGroup("/api/v1").WithInputChecks();
api.MapInfoEndpoints(setup);
api.MapAuthEndpoints();
api.MapApiKeyEndpoints();
api.MapWalletEndpoints();
api.MapListingEndpoints();
api.MapOrderEndpoints();
api.MapPushNotificationEndpoints();
api.MapDisputeEndpoints();
api.MapSellerEndpoints();
api.MapWebhookEndpoints();
app.MapMarketplaceHealthChecks();
app.MapMetricsEndpoint(telemetry);
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();

// The emulator exists only in Sandbox (ServiceModeSetup refuses it in Live).
if (setup.EmbeddedEmulator) app.MapQiwiEmulator(setup.EmulatorPath);

await app.RunAsync();
return 0;

/// <summary>The host; public so integration tests can start it with WebApplicationFactory.</summary>
public partial class Program;
