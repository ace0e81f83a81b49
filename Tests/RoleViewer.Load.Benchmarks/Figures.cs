using System.Globalization;

namespace RoleViewer.Load.Benchmarks;

/// <summary>One figure over several samples: min / median / max, its target, and the figure before issue 15.</summary>
public sealed class Figure(string name, string unit, string target, string before, Func<double, bool>? meets = null)
{
    private readonly List<double> _samples = [];

    public string Name { get; } = name;

    public string Target { get; } = target;

    public void Add(double sample) => _samples.Add(sample);

    public bool HasTarget => meets is not null;

    /// <summary>Judged on the median, so one disturbed sample on a shared machine does not decide.</summary>
    public bool? Met => _samples.Count == 0 || meets is null ? null : meets(Median);

    public double Median
    {
        get
        {
            var sorted = _samples.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public string Measured => _samples.Count == 0
        ? "not measured"
        : string.Create(CultureInfo.InvariantCulture,
            $"{Format(Median)} {unit} (min {Format(_samples.Min())}, max {Format(_samples.Max())}, n={_samples.Count})");

    public string Row()
    {
        var verdict = Met switch { true => "met", false => "MISSED", null => "" };
        return $"| {Name} | {Measured} | {Target} | {before} | {verdict} |";
    }

    private static string Format(double value) => value switch
    {
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
