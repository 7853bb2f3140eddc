namespace Marketplace.QiwiEmulator.State;

/// <summary>
/// Faults switched on through the admin API, for tests and demos. Counted faults apply to the next
/// N matching QIWI requests; the others stay on until reset.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private FaultSettings _settings = new();
    private int _errors;
    private int _timeouts;
    private int _malformed;
    private int _lostResponses;

    public FaultSettings Current
    {
        get { lock (_gate) return _settings with { ServerErrors = _errors, Timeouts = _timeouts, MalformedJson = _malformed, LostResponses = _lostResponses }; }
    }

    public void Set(FaultSettings settings)
    {
        lock (_gate)
        {
            _settings = settings;
            (_errors, _timeouts, _malformed, _lostResponses) = (settings.ServerErrors, settings.Timeouts, settings.MalformedJson, settings.LostResponses);
        }
    }

    public void Reset() => Set(new FaultSettings());

    /// <summary>Decides the fault for one request to <paramref name="path"/>, consuming a counted fault if one applies.</summary>
    public FaultKind Next(string path)
    {
        lock (_gate)
        {
            if (_settings.PathContains is { Length: > 0 } filter && !path.Contains(filter, StringComparison.Ordinal)) return FaultKind.None;
            if (_errors > 0) { _errors--; return FaultKind.ServerError; }
            if (_timeouts > 0) { _timeouts--; return FaultKind.Timeout; }
            if (_malformed > 0) { _malformed--; return FaultKind.MalformedJson; }
            if (_lostResponses > 0) { _lostResponses--; return FaultKind.LostResponse; }
            return FaultKind.None;
        }
    }
}

public sealed record FaultSettings
{
    /// <summary>Extra latency on every QIWI request.</summary>
    public int LatencyMs { get; init; }
    /// <summary>The next N requests answer 500 (a burst of server errors).</summary>
    public int ServerErrors { get; init; }
    /// <summary>The next N requests never answer (until the client gives up).</summary>
    public int Timeouts { get; init; }
    /// <summary>The next N requests answer 200 with truncated JSON.</summary>
    public int MalformedJson { get; init; }
    /// <summary>The next N requests are carried out, but the answer is lost (502): the classic cause of double payments.</summary>
    public int LostResponses { get; init; }
    /// <summary>History pages overlap: each page repeats the previous page's last row.</summary>
    public bool DuplicateRowsAcrossPages { get; init; }
    /// <summary>New transactions appear in history only this long after they happen.</summary>
    public TimeSpan VisibilityDelay { get; init; }
    /// <summary>Limit the counted faults to requests whose path contains this text.</summary>
    public string? PathContains { get; init; }
}

public enum FaultKind
{
    None,
    ServerError,
    Timeout,
    MalformedJson,
    LostResponse,
}
