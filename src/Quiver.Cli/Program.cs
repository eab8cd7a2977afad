using System.Globalization;
using Quiver.Cli;

// Numbers print the same everywhere, so scripts can read tables as well as --json.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
return await QuiverCli.RunAsync(args, CliContext.FromEnvironment());
