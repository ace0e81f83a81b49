namespace RoleViewer.Web.Security;

public static class PageHttp
{
    /// <summary>HEAD / (uptime checks, link previews) is answered as GET /: Kestrel sends the same headers without the
    /// body. Must run before routing, which matches the page for GET and POST only.</summary>
    public static IApplicationBuilder UseHeadForPage(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (HttpMethods.IsHead(context.Request.Method) && context.Request.Path == "/")
            {
                context.Request.Method = HttpMethods.Get;
            }

            return next(context);
        });
}
