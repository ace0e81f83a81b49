using System.Buffers.Text;

namespace AzureEmulator.Arm;

/// <summary>
/// Keyset paging: items are sorted by a GUID key and $skipToken carries the last key a page returned, so a listing
/// neither repeats nor skips items when others are created or deleted between pages.
/// </summary>
public static class ArmPager
{
    public static ArmError InvalidSkipToken { get; } = new(400, "InvalidSkipToken",
        "The $skipToken is not valid. Use the nextLink of the previous page as it is, without changing it.");

    public readonly record struct PageResult<T>(IReadOnlyList<T> Items, Guid? Last);

    /// <param name="sorted">Items in ascending key order.</param>
    /// <returns>Up to pageSize matching items after <paramref name="after"/>; Last is set when more matches follow.</returns>
    public static PageResult<T> Page<T>(IReadOnlyList<T> sorted, Func<T, Guid> key, Func<T, bool> matches, Guid? after, int pageSize)
    {
        var start = after is { } a ? FirstAfter(sorted, key, a) : 0;
        var items = new List<T>(Math.Min(pageSize, 256));
        for (var i = start; i < sorted.Count; i++)
        {
            if (!matches(sorted[i]))
            {
                continue;
            }

            if (items.Count == pageSize)
            {
                return new(items, key(items[^1]));
            }

            items.Add(sorted[i]);
        }

        return new(items, null);
    }

    public static string SkipTokenFor(Guid last) => Base64Url.EncodeToString(last.ToByteArray());

    public static bool TryReadSkipToken(string? token, out Guid? after)
    {
        after = null;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }

        var bytes = new byte[16];
        // A GUID is 16 bytes: 22 base64url characters.
        if (token.Length == 22 && Base64Url.IsValid(token) && Base64Url.DecodeFromChars(token, bytes) == 16)
        {
            after = new Guid(bytes);
            return true;
        }

        return false;
    }

    /// <summary>An absolute URL on the address the client used, carrying api-version, $filter and $skipToken (clients follow it as is).</summary>
    public static string NextLink(HttpRequest request, string apiVersion, string filter, Guid last)
    {
        var query = $"api-version={apiVersion}";
        if (filter.Length > 0)
        {
            query += $"&$filter={Uri.EscapeDataString(filter)}";
        }

        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path.ToUriComponent()}?{query}&$skipToken={SkipTokenFor(last)}";
    }

    private static int FirstAfter<T>(IReadOnlyList<T> sorted, Func<T, Guid> key, Guid after)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (key(sorted[mid]).CompareTo(after) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
