using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A request the app cannot bind (<c>?refresh=maybe</c>, a body over the limit) is the caller's error: answer 400 (or
/// the status Kestrel chose) as ProblemDetails naming the parameter and what it accepts, in every environment. Without
/// this, Development throws the binding failure and the exception handler turns it into a 500.
/// </summary>
public static partial class BadRequestProblems
{
    public static TBuilder AddBadRequestProblems<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Throw in every environment (not only Development), so the handler below words each failure the same way.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>"bool? refresh" from "maybe" → the parameter, what it accepts and what was sent.</summary>
    public static string Describe(string message)
    {
        var bind = BindFailure().Match(message);
        if (!bind.Success)
        {
            return message;
        }

        var type = bind.Groups["type"].Value.TrimEnd('?');
        type = type.StartsWith("Nullable<", StringComparison.Ordinal) ? type["Nullable<".Length..^1] : type;
        var accepted = type switch
        {
            "bool" or "Boolean" => "true or false",
            "int" or "Int32" or "long" or "Int64" => "a whole number",
            _ => $"a valid {type}",
        };
        var value = bind.Groups["value"].Value;
        return $"Query parameter '{bind.Groups["name"].Value}' accepts {accepted}; got '{(value.Length > 40 ? value[..40] + "…" : value)}'.";
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>\w+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad || context.Response.HasStarted)
            {
                return false;
            }

            context.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = new ProblemDetails
                {
                    Status = bad.StatusCode,
                    Title = "The request is not valid",
                    Detail = Describe(bad.Message),
                },
            });
        }
    }
}
