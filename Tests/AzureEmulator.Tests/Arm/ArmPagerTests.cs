using AzureEmulator.Arm;

namespace AzureEmulator.Tests.Arm;

public sealed class ArmPagerTests
{
    private static readonly Guid[] Keys = [.. Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).Order()];

    [Fact]
    public void Page_FollowingLastKeys_VisitsEveryMatchOnce()
    {
        var seen = new List<Guid>();
        Guid? after = null;
        var pages = 0;
        do
        {
            var page = ArmPager.Page(Keys, k => k, k => Array.IndexOf(Keys, k) % 3 != 0, after, 2);
            seen.AddRange(page.Items);
            after = page.Last;
            pages++;
        }
        while (after is not null);

        Assert.Equal(Keys.Where((_, i) => i % 3 != 0), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public void Page_WhenItemsAreAddedBetweenPages_NeitherRepeatsNorSkipsEarlierOnes()
    {
        var first = ArmPager.Page(Keys, k => k, _ => true, null, 5);
        var grown = Keys.Append(Guid.Empty).Order().ToArray();

        var second = ArmPager.Page(grown, k => k, _ => true, first.Last, 5);

        Assert.Equal(Keys[5..], second.Items);
        Assert.Null(second.Last);
    }

    [Fact]
    public void SkipToken_RoundTrips()
    {
        var key = Guid.NewGuid();

        Assert.True(ArmPager.TryReadSkipToken(ArmPager.SkipTokenFor(key), out var read));
        Assert.Equal(key, read);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("e30")]
    public void TryReadSkipToken_WhenTampered_Fails(string token) => Assert.False(ArmPager.TryReadSkipToken(token, out _));
}
