using Quiver.Cli;

return await QuiverCli.RunAsync(args, CliContext.FromEnvironment());
