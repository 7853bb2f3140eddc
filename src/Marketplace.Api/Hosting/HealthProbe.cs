namespace Marketplace.Api.Hosting;

/// <summary>
/// <c>dotnet Marketplace.Api.dll healthcheck [url]</c>: asks a running instance whether it is ready
/// and exits 0 or 1. Container images of ASP.NET Core carry no curl or wget; this lets a
/// docker-compose healthcheck use the service's own binary instead.
/// </summary>
public static class HealthProbe
{
    public const string Command = "healthcheck";
    public const string DefaultUrl = "http://127.0.0.1:8080/health/ready";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var url = args.Length > 1 ? args[1] : DefaultUrl;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await http.GetAsync(new Uri(url));
            await output.WriteLineAsync($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await output.WriteLineAsync($"{url}: {ex.Message}");
            return 1;
        }
    }
}
