using Quiver.Store.Collections;
using Quiver.Store.Reembedding;

/// <summary>
/// The child side of the re-embedding crash test: re-embeds a collection in place with <see cref="TrigramGenerator"/>
/// (slowed down, so the test can kill it mid-way) and prints "checkpoint N" after each batch is written.
/// </summary>
internal static class ReembedWorker
{
    public static async Task RunAsync(string folder, string collection, int batchSize)
    {
        var job = new ReembedJob(new CollectionStore(folder), collection, new TrigramGenerator(TimeSpan.FromMilliseconds(15)), new ReembedOptions { BatchSize = batchSize });
        await job.RunAsync(new Quiver.Core.SynchronousProgress<ReembedProgress>(p =>
        {
            Console.Out.WriteLine($"checkpoint {p.Checkpoint}");
            Console.Out.Flush();
        }));
        Console.Out.WriteLine("done");
    }
}
