namespace RoleViewer.Web.Security;

/// <summary>
/// Refuses state-changing requests that a browser sent on behalf of another site (cross-site request forgery), from
/// the headers browsers set and scripts cannot forge: <c>Sec-Fetch-Site</c>, else <c>Origin</c>. This is the check
/// ASP.NET Core 11 makes by default; unlike antiforgery tokens it puts nothing per-visitor in the page, so the page
/// can be output-cached with the Try-it forms on it. A request with neither header is not from a browser and cannot
/// be forged by one.
/// </summary>
public static class CrossSiteRequestGuard
{
    public static TBuilder RefuseCrossSiteRequests<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            Refusal(context.HttpContext.Request) is { } detail
                ? TypedResults.Problem(
                    title: "Cross-site request refused",
                    detail: detail,
                    statusCode: StatusCodes.Status403Forbidden)
                : await next(context));

    /// <summary>Why the request is refused, or null when it came from this site's own page (or not from a browser).</summary>
    public static string? Refusal(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none"
                ? null
                : $"The browser says this request came from another site (Sec-Fetch-Site: {site}); Try-it changes are accepted only from its own page. Open {request.Scheme}://{request.Host} and use its buttons.";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return null;
        }

        var self = new Uri($"{request.Scheme}://{request.Host}");
        return Uri.TryCreate(origin, UriKind.Absolute, out var from)
               && Uri.Compare(from, self, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? null
            : $"The browser says this request came from {origin}, not from {self.GetLeftPart(UriPartial.Authority)}; Try-it changes are accepted only from its own page. Open {self} and use its buttons.";
    }
}
