using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Deploy.Tests;

/// <summary>A runtime property read, e.g. <c>reference(aks).oidcIssuerProfile.issuerURL</c>, kept symbolic.</summary>
internal sealed record ArmReference(string ResourceId, string Path)
{
    public override string ToString() => Path.Length == 0 ? $"reference({ResourceId})" : $"reference({ResourceId}).{Path}";
}

/// <summary>
/// Evaluates the ARM template language subset that Bicep emits for infra/, so tests can follow values across
/// the module boundary: resource ids become <c>type/name</c>, runtime reads stay symbolic
/// (<see cref="ArmReference"/>), and <c>reference(module).outputs.x.value</c> is resolved in the module.
/// </summary>
internal sealed class ArmTemplate
{
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    public const string TenantId = "00000000-0000-0000-0000-0000000000bb";

    private readonly JsonObject _template;
    private readonly Dictionary<string, object?> _parameters;

    private ArmTemplate(JsonObject template, Dictionary<string, object?> parameters)
    {
        _template = template;
        _parameters = parameters;
    }

    public static ArmTemplate Create(JsonObject template, IReadOnlyDictionary<string, object?> parameters) =>
        new(template, new Dictionary<string, object?>(parameters));

    public IEnumerable<JsonObject> Resources => _template["resources"]!.AsArray().Select(r => r!.AsObject());

    public IEnumerable<JsonObject> ResourcesOfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<string> OutputNames => _template["outputs"]!.AsObject().Select(o => o.Key);

    /// <summary>The declared type of an output (<c>string</c>, <c>array</c>, ...), lower-case.</summary>
    public string OutputType(string name) => ((string)_template["outputs"]![name]!["type"]!).ToLowerInvariant();

    /// <summary>The parameter's declaration (type, defaultValue, minLength, metadata), or null.</summary>
    public JsonObject? ParameterDeclaration(string name) => _template["parameters"]?[name]?.AsObject();

    /// <summary>Every module deployment's template, depth first, with its parameters bound.</summary>
    public IEnumerable<ArmTemplate> ModulesRecursive() =>
        ResourcesOfType("Microsoft.Resources/deployments").Select(d => Module(Name(d))).SelectMany(m => m.ModulesRecursive().Prepend(m));

    /// <summary>A resource's <c>condition</c>, evaluated; true when it has none.</summary>
    public bool IsDeployed(JsonObject resource) => resource["condition"] is not { } condition || Value(condition) is true;

    public object? Output(string name) =>
        Value(_template["outputs"]![name]?["value"] ?? throw new KeyNotFoundException($"The template has no output '{name}'."));

    public string Name(JsonObject resource) => Text(resource["name"]);

    /// <summary><c>type/name</c>, the form resourceId() evaluates to here.</summary>
    public string Id(JsonObject resource) => $"{resource["type"]}/{Name(resource)}";

    public string Text(JsonNode? node) => Convert.ToString(Value(node), CultureInfo.InvariantCulture)!;

    /// <summary>The nested template of module <paramref name="deploymentName"/>, with its parameters bound.</summary>
    public ArmTemplate Module(string deploymentName)
    {
        var deployment = ResourcesOfType("Microsoft.Resources/deployments").SingleOrDefault(d => Name(d) == deploymentName)
            ?? throw new KeyNotFoundException($"No module deployment named '{deploymentName}'.");
        var properties = deployment["properties"]!;
        var bound = new Dictionary<string, object?>();
        foreach (var (name, parameter) in properties["parameters"]!.AsObject())
        {
            bound[name] = Value(parameter!["value"]);
        }

        return new ArmTemplate(properties["template"]!.AsObject(), bound);
    }

    public object? Value(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out string? text) => text.StartsWith("[[", StringComparison.Ordinal)
            ? text[1..]
            : text.StartsWith('[') && text.EndsWith(']') ? Evaluate(text[1..^1]) : text,
        JsonValue value when value.TryGetValue(out bool flag) => flag,
        JsonValue value when value.TryGetValue(out long number) => number,
        _ => node,
    };

    public object? Evaluate(string expression)
    {
        var parser = new Parser(expression, this);
        var result = parser.ParseExpression();
        parser.ExpectEnd();
        return result;
    }

    private object? Parameter(string name)
    {
        if (_parameters.TryGetValue(name, out var value))
        {
            return value;
        }

        var definition = _template["parameters"]?[name]
            ?? throw new KeyNotFoundException($"The template declares no parameter '{name}'.");
        return Value(definition["defaultValue"] ?? throw new KeyNotFoundException($"Parameter '{name}' has no value and no default."));
    }

    private object? Variable(string name) =>
        Value(_template["variables"]?[name] ?? throw new KeyNotFoundException($"The template declares no variable '{name}'."));

    private object? Call(string function, List<object?> args)
    {
        string Arg(int i) => Convert.ToString(args[i], CultureInfo.InvariantCulture)!;
        string Id(int skip) => string.Join('/', args.Skip(skip).Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)));

        return function.ToLowerInvariant() switch
        {
            "parameters" => Parameter(Arg(0)),
            "variables" => Variable(Arg(0)),
            "format" => string.Format(CultureInfo.InvariantCulture, Arg(0), [.. args.Skip(1)]),
            "concat" => string.Concat(args),
            "tolower" => Arg(0).ToLowerInvariant(),
            "empty" => args[0] is null || Arg(0).Length == 0,
            "not" => !(bool)args[0]!,
            "uniquestring" => UniqueString(args),
            "guid" => $"guid({string.Join(", ", args)})",
            "subscription" => new JsonObject
            {
                ["id"] = $"/subscriptions/{SubscriptionId}",
                ["subscriptionId"] = SubscriptionId,
                ["tenantId"] = TenantId,
            },
            "tenant" => new JsonObject { ["tenantId"] = TenantId },
            "resourceid" or "subscriptionresourceid" => Id(0),
            "extensionresourceid" => Id(1),
            "reference" => new ArmReference(Arg(0), ""),
            _ => throw new NotSupportedException($"ARM function '{function}' is not supported by the test evaluator; extend ArmTemplate."),
        };
    }

    // uniqueString() is 13 characters; the real hash is irrelevant, only stability matters.
    private static string UniqueString(List<object?> args)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", args)));
        return Convert.ToHexStringLower(hash)[..13];
    }

    private object? Member(object? target, string name) => target switch
    {
        ArmReference reference => ModuleOutput(reference, name),
        JsonObject json => Value(json[name]),
        _ => throw new InvalidOperationException($"Cannot read '.{name}' of {target ?? "null"}."),
    };

    private object? ModuleOutput(ArmReference reference, string name)
    {
        var path = reference.Path.Length == 0 ? name : $"{reference.Path}.{name}";
        const string Deployments = "Microsoft.Resources/deployments/";
        var segments = path.Split('.');
        if (reference.ResourceId.StartsWith(Deployments, StringComparison.Ordinal) && segments is ["outputs", var output, "value"])
        {
            return Module(reference.ResourceId[Deployments.Length..]).Output(output);
        }

        return reference with { Path = path };
    }

    private sealed class Parser(string text, ArmTemplate template)
    {
        private int _position;

        public object? ParseExpression()
        {
            var value = ParsePrimary();
            while (true)
            {
                SkipSpace();
                if (TryTake('.'))
                {
                    value = template.Member(value, Identifier());
                }
                else if (TryTake('['))
                {
                    var index = ParseExpression();
                    Expect(']');
                    value = value is JsonArray array
                        ? template.Value(array[Convert.ToInt32(index, CultureInfo.InvariantCulture)])
                        : template.Member(value, Convert.ToString(index, CultureInfo.InvariantCulture)!);
                }
                else
                {
                    return value;
                }
            }
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_position != text.Length)
            {
                throw new FormatException($"Unexpected '{text[_position..]}' in '{text}'.");
            }
        }

        private object? ParsePrimary()
        {
            SkipSpace();
            if (TryTake('\''))
            {
                var literal = new StringBuilder();
                while (true)
                {
                    var c = text[_position++];
                    if (c == '\'')
                    {
                        if (_position < text.Length && text[_position] == '\'')
                        {
                            literal.Append('\'');
                            _position++;
                            continue;
                        }

                        return literal.ToString();
                    }

                    literal.Append(c);
                }
            }

            if (char.IsDigit(text[_position]) || text[_position] == '-')
            {
                var start = _position++;
                while (_position < text.Length && char.IsDigit(text[_position]))
                {
                    _position++;
                }

                return long.Parse(text[start.._position], CultureInfo.InvariantCulture);
            }

            var function = Identifier();
            Expect('(');
            var args = new List<object?>();
            SkipSpace();
            if (!TryTake(')'))
            {
                do
                {
                    args.Add(ParseExpression());
                    SkipSpace();
                }
                while (TryTake(','));
                Expect(')');
            }

            return template.Call(function, args);
        }

        private string Identifier()
        {
            SkipSpace();
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            return start == _position ? throw new FormatException($"Identifier expected at {start} in '{text}'.") : text[start.._position];
        }

        private void SkipSpace()
        {
            while (_position < text.Length && text[_position] == ' ')
            {
                _position++;
            }
        }

        private bool TryTake(char c)
        {
            SkipSpace();
            if (_position < text.Length && text[_position] == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (!TryTake(c))
            {
                throw new FormatException($"'{c}' expected at {_position} in '{text}'.");
            }
        }
    }
}
