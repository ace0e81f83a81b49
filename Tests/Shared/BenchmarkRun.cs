using System.Globalization;
using System.Text;

namespace RoleViewer.Testing;

/// <summary>
/// What every benchmark owes its reader: a header naming when, where and how it ran; figures as several samples
/// (min / median / max); each target checked against a figure measured in this run, never an extrapolation; an exit
/// code of 1 when a target is missed; and, with <c>--record FILE</c>, the raw output kept in a Markdown file (date,
/// machine, command) that a README's figures are copied from.
/// Shared as source (linked into each benchmark project) so no benchmark depends on another.
/// </summary>
internal sealed class BenchmarkRun
{
    private readonly string _name;
    private readonly string? _recordPath;
    private readonly StringBuilder _captured = new();
    private readonly TextWriter _console = Console.Out;
    private readonly List<(string Figure, string Measured, string Target, bool Met)> _targets = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    private BenchmarkRun(string name, string[] args)
    {
        _name = name;
        var record = Array.IndexOf(args, "--record");
        _recordPath = record >= 0 && record + 1 < args.Length ? Path.GetFullPath(args[record + 1]) : null;
        Console.SetOut(new TeeWriter(_console, _captured));
    }

    /// <summary>Starts capturing the console and prints the header (date, machine, command, load average).</summary>
    public static BenchmarkRun Start(string name, string[] args)
    {
        var run = new BenchmarkRun(name, args);
        Console.WriteLine($"{name}, {run._started:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"Machine: {Machine()}");
        Console.WriteLine($"Command: {Command(args)}");
        Console.WriteLine($"Load average before: {LoadAverage()} (other processes on the machine skew every figure)");
        return run;
    }

    /// <summary>Records a target. The figure it judges must have been measured in this run.</summary>
    public void Target(string figure, string measured, string target, bool met) => _targets.Add((figure, measured, target, met));

    /// <summary>Prints the targets and the load average, writes the record if asked; returns the process exit code.</summary>
    public int Finish()
    {
        Console.WriteLine();
        Console.WriteLine($"Load average after: {LoadAverage()}");
        Console.WriteLine("Targets:");
        foreach (var (figure, measured, target, met) in _targets)
        {
            Console.WriteLine($"  {(met ? "met   " : "MISSED")} {figure}: {measured} (target {target})");
        }

        var missed = _targets.Count(t => !t.Met);
        Console.WriteLine(missed == 0 ? $"All {_targets.Count} targets met." : $"{missed} of {_targets.Count} targets MISSED.");
        Console.SetOut(_console);
        if (_recordPath is not null)
        {
            WriteRecord();
            Console.WriteLine($"Recorded in {_recordPath}");
        }

        return missed == 0 ? 0 : 1;
    }

    /// <summary>Prints why the run stopped, records it like a finished run and returns 2.</summary>
    public int Fail(string reason)
    {
        Console.Error.WriteLine(reason);
        Console.WriteLine($"FAILED: {reason}");
        Finish();
        return 2;
    }

    private void WriteRecord()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_recordPath)!);
        var record = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# {_name}: run of {_started:yyyy-MM-dd HH:mm} UTC")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Date: {_started:yyyy-MM-dd HH:mm:ss} UTC, {(DateTimeOffset.UtcNow - _started).TotalSeconds:0} s")
            .AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine()}")
            .AppendLine(CultureInfo.InvariantCulture, $"- Command: `{Command(Environment.GetCommandLineArgs()[1..])}`")
            .AppendLine()
            .AppendLine("Raw output:")
            .AppendLine()
            .AppendLine("```text")
            .Append(_captured.ToString().TrimEnd())
            .AppendLine()
            .AppendLine("```");
        File.WriteAllText(_recordPath!, record.ToString());
    }

    private static string Machine() =>
        $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {MemoryGb()} GB, {Environment.OSVersion}, .NET {Environment.Version}";

    private static string MemoryGb() =>
        (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024).ToString("0", CultureInfo.InvariantCulture);

    private static string Command(string[] args) =>
        $"dotnet run -c Release --project Tests/{AppDomain.CurrentDomain.FriendlyName}" + (args.Length == 0 ? "" : " -- " + string.Join(' ', args));

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed class TeeWriter(TextWriter first, StringBuilder second) : TextWriter
    {
        public override Encoding Encoding => first.Encoding;

        public override void Write(char value)
        {
            first.Write(value);
            second.Append(value);
        }

        public override void Write(string? value)
        {
            first.Write(value);
            second.Append(value);
        }

        public override void WriteLine(string? value)
        {
            first.WriteLine(value);
            second.AppendLine(value);
        }

        public override void Flush() => first.Flush();
    }
}

/// <summary>Several measurements of one figure, shown as min / median / max so the reader sees the spread.</summary>
internal sealed class Samples(IEnumerable<double> values)
{
    private readonly double[] _sorted = values.Order().ToArray();

    public int Count => _sorted.Length;

    public double Min => _sorted[0];

    public double Max => _sorted[^1];

    /// <summary>The middle sample (the mean of the two middle ones for an even count).</summary>
    public double Median => _sorted.Length % 2 == 1
        ? _sorted[_sorted.Length / 2]
        : (_sorted[(_sorted.Length / 2) - 1] + _sorted[_sorted.Length / 2]) / 2;

    /// <summary>"median 12.3 ms (min 10.1, max 15.0; 5 samples)".</summary>
    public string Format(string number, string unit) => string.Create(CultureInfo.InvariantCulture,
        $"median {Median.ToString(number, CultureInfo.InvariantCulture)} {unit} (min {Min.ToString(number, CultureInfo.InvariantCulture)}, max {Max.ToString(number, CultureInfo.InvariantCulture)}; {Count} samples)");
}
