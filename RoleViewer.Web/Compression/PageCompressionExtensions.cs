using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace RoleViewer.Web.Compression;

/// <summary>
/// The rendered page and its live fragment (about 18 KB of repetitive HTML, a few KB compressed) go out compressed
/// when the browser asks: that pays on any real network for a few tens of µs of CPU at the fastest level. Static
/// assets are already served precompressed by MapStaticAssets. Plain HTTP only (the framework's default): the page
/// reflects the filter from the query next to antiforgery tokens, so compressing it over TLS would expose it to BREACH.
/// </summary>
public static class PageCompressionExtensions
{
    public static IHostApplicationBuilder AddPageCompression(this IHostApplicationBuilder builder)
    {
        builder.Services.AddResponseCompression(options =>
        {
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ["text/html"];
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return builder;
    }
}
