using AzureEmulator.Arm;
using AzureEmulator.Identity;

namespace AzureEmulator.State;

/// <summary>
/// Admin routes over the persisted state as a whole: does it still equal the seed (GET /admin/state), and put it
/// back (POST /admin/state/reset). Changes made through Try-it or the admin API survive restarts; this is how a
/// person sees that and starts from scratch without deleting files.
/// </summary>
public static partial class StateAdminApi
{
    public static RouteGroupBuilder MapStateAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/state", (DirectoryStore directory, AuthorizationStore authorization) => TypedResults.Ok(Report(directory, authorization)))
            .WithSummary("Whether roles, groups and federated credentials still equal the seed, and what differs.");
        admin.MapPost("/state/reset", (DirectoryStore directory, AuthorizationStore authorization, ILoggerFactory loggers) =>
        {
            directory.ResetToSeed();
            authorization.ResetToSeed();
            var logger = loggers.CreateLogger(typeof(StateAdminApi));
            LogStateReset(logger, directory.StatePath, authorization.StatePath);
            return TypedResults.Ok(Report(directory, authorization));
        }).WithSummary("Puts role definitions, role assignments, identities, federated credentials and groups back as seeded.");
        return admin;
    }

    private static SeedDriftReport Report(DirectoryStore directory, AuthorizationStore authorization)
    {
        var differences = SeedDrift.Compare(directory.Seed, directory.Saved, authorization.Seed, authorization.Snapshot.State);
        return new SeedDriftReport(differences.Count > 0, differences, [directory.StatePath, authorization.StatePath]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "State reset to the seed: {DirectoryFile} and {AuthorizationFile} rewritten")]
    private static partial void LogStateReset(ILogger logger, string directoryFile, string authorizationFile);
}
