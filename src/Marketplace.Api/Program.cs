using Marketplace.Api.Endpoints;
using Marketplace.Api.Hosting;
using Marketplace.Application;
using Marketplace.Infrastructure;
using Marketplace.QiwiEmulator;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddMarketplaceApi(builder.Configuration);
builder.Services.AddMarketplaceRateLimiting();
builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration);
var embeddedEmulator = builder.Configuration.GetValue("QiwiEmulator:Embedded", true);
if (!embeddedEmulator && string.IsNullOrWhiteSpace(builder.Configuration["Qiwi:BaseUrl"]))
    throw new InvalidOperationException("Qiwi:BaseUrl must name a QIWI-compatible API when QiwiEmulator:Embedded is false.");
if (embeddedEmulator) builder.Services.AddQiwiEmulator(builder.Configuration);

var app = builder.Build();

await app.Services.MigrateDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestSizeLimit();
app.UseSwagger();
app.UseSwaggerUI(ui => ui.SwaggerEndpoint("/swagger/v1/swagger.json", "Marketplace API v1"));
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

var api = app.MapGroup("/api/v1").WithInputChecks();
api.MapAuthEndpoints();
api.MapWalletEndpoints();
api.MapListingEndpoints();
api.MapOrderEndpoints();
app.MapMarketplaceHealthChecks();
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();

if (embeddedEmulator) app.MapQiwiEmulator(app.Configuration["Qiwi:EmbeddedEmulatorPath"] ?? "/qiwi-emulator");

await app.RunAsync();

/// <summary>The host; public so integration tests can start it with WebApplicationFactory.</summary>
public partial class Program;
