using System.Text.Json;

namespace Marketplace.QiwiEmulator.State;

public sealed record EmulatorSnapshot(List<EmulatorWallet> Wallets, List<EmulatorToken> Tokens, long NextTxnId);

/// <summary>Keeps the standalone emulator's state in one JSON file, replaced atomically on every change.</summary>
public sealed class EmulatorStore(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    private readonly string _path = Path.GetFullPath(path);

    public EmulatorSnapshot? Load() =>
        File.Exists(_path) ? JsonSerializer.Deserialize<EmulatorSnapshot>(File.ReadAllText(_path), Json) : null;

    public void Save(EmulatorSnapshot snapshot)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = $"{_path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(snapshot, Json));
        File.Move(temporary, _path, overwrite: true);
    }
}
