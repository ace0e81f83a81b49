using System.Text.Json;

namespace AzureEmulator.State;

/// <summary>
/// One JSON document persisted atomically (temp file, flush to disk, rename) so that neither a crash nor kill -9
/// can leave a half-written file. A file that exists but cannot be read is never overwritten: start-up fails with
/// a message naming the file and what to do.
/// </summary>
public sealed class JsonStateFile<T>(string path, JsonSerializerOptions serializerOptions) where T : class
{
    private readonly Lock _gate = new();

    public string Path { get; } = path;

    /// <summary>Reads the saved state, or returns null when nothing was saved yet.</summary>
    public T? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(Path);
            return JsonSerializer.Deserialize<T>(stream, serializerOptions)
                ?? throw new JsonException("The document is empty (null).");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            throw new DamagedStateFileException(Path, ex);
        }
    }

    public void Save(T state)
    {
        lock (_gate)
        {
            var temp = $"{Path}.{Environment.ProcessId}.tmp";
            using (var stream = PrivateFiles.Create(temp))
            {
                JsonSerializer.Serialize(stream, state, serializerOptions);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
        }
    }
}

public sealed class DamagedStateFileException(string path, Exception inner) : Exception(
    $"The emulator's state file '{path}' exists but cannot be read ({inner.Message}). It was left untouched. " +
    $"Fix it by hand, or move it away (e.g. 'mv \"{path}\" \"{path}.damaged\"') to start again from the seed data.",
    inner)
{
    public string FilePath { get; } = path;
}
