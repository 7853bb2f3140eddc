using System.Diagnostics.Metrics;

namespace Marketplace.Bench.Hosting;

/// <summary>
/// Hits and misses of EF Core's compiled-query cache (its own metrics, meter Microsoft.EntityFrameworkCore)
/// since this object was made: a miss means a query was translated and compiled again, milliseconds of CPU.
/// </summary>
public sealed class EfCoreQueryCache : IDisposable
{
    private const string Hits = "microsoft.entityframeworkcore.compiled_query_cache_hits";
    private const string Misses = "microsoft.entityframeworkcore.compiled_query_cache_misses";
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _start;

    public EfCoreQueryCache()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.EntityFrameworkCore" && instrument.Name is Hits or Misses) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (_latest) _latest[instrument.Name] = instrument.IsObservable ? value : _latest.GetValueOrDefault(instrument.Name) + value;
        });
        _listener.Start();
        _start = Read();
    }

    private Dictionary<string, long> Read()
    {
        _listener.RecordObservableInstruments();
        lock (_latest) return new Dictionary<string, long>(_latest, StringComparer.Ordinal);
    }

    public string Describe()
    {
        var now = Read();
        if (!now.ContainsKey(Hits) && !now.ContainsKey(Misses)) return "not reported";
        long Delta(string name) => now.GetValueOrDefault(name) - _start.GetValueOrDefault(name);
        return $"{Delta(Hits)} hits, {Delta(Misses)} misses (compilations)";
    }

    public void Dispose() => _listener.Dispose();
}
