using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models.Caching;

namespace Quiver.Models.Tests.Caching;

public sealed class EmbeddingCacheTests : IDisposable
{
    private static readonly EmbeddingSpace Space = new(new ModelReference("tiny", "counting", "rev-1-0123456789abcdef"), 8, DistanceMetric.Cosine, Normalized: true);

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_repeated_input_is_a_hit_and_skips_the_inner_generator()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);

        var first = await cache.GenerateAsync(["the cat sat"]);
        var second = await cache.GenerateAsync(["the cat sat"]);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(1, cache.Misses);
        Assert.Equal(1, cache.Hits);
        Assert.Equal(first[0].Vector.ToArray(), second[0].Vector.ToArray());
        Assert.Equal(CountingEmbeddingGenerator.VectorOf("the cat sat", Space), second[0].Vector.ToArray());
    }

    [Fact]
    public async Task A_batch_with_repeats_and_hits_keeps_input_order_and_asks_the_inner_generator_once_for_the_distinct_misses()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);
        await cache.GenerateAsync(["b", "e"]);

        string[] inputs = ["a", "b", "c", "a", "d", "c", "e"];
        var result = await cache.GenerateAsync(inputs);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(["a", "c", "d"], inner.Requests[1]);
        Assert.Equal(inputs.Length, result.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(CountingEmbeddingGenerator.VectorOf(inputs[i], Space), result[i].Vector.ToArray());
        }

        Assert.Equal(2 + 3, cache.Misses);
        Assert.Equal(4, cache.Hits);
        Assert.Equal(3, result.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task Misses_carry_the_inner_properties_and_hits_keep_them_marked_cached()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);

        var miss = (await cache.GenerateAsync(["hello"]))[0];
        var hit = (await cache.GenerateAsync(["hello"]))[0];

        Assert.False(miss.AdditionalProperties!.ContainsKey("cached"));
        Assert.Equal(5, miss.AdditionalProperties["tokens"]);
        Assert.Equal(true, hit.AdditionalProperties!["cached"]);
        Assert.Equal(5, hit.AdditionalProperties["tokens"]);
        Assert.Equal("fake", hit.AdditionalProperties["note"]);
        Assert.Equal(miss.ModelId, hit.ModelId);
        Assert.Equal(miss.CreatedAt, hit.CreatedAt);
    }

    [Fact]
    public async Task A_caller_changing_a_returned_embedding_does_not_change_the_cache()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);

        var miss = (await cache.GenerateAsync(["hello"]))[0];
        miss.AdditionalProperties!["tokens"] = 999;
        var hit = (await cache.GenerateAsync(["hello"]))[0];
        hit.AdditionalProperties!["tokens"] = 998;

        Assert.Equal(5, (await cache.GenerateAsync(["hello"]))[0].AdditionalProperties!["tokens"]);
    }

    [Fact]
    public async Task Hits_cost_no_usage()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);
        await cache.GenerateAsync(["one", "two"]);

        var result = await cache.GenerateAsync(["two", "one", "two"]);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(0, result.Usage!.InputTokenCount);
        Assert.Equal(0, result.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task An_empty_batch_asks_nothing()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);

        var result = await cache.GenerateAsync([]);

        Assert.Empty(result);
        Assert.Equal(0, inner.Calls);
        Assert.Equal(0, cache.Hits + cache.Misses);
    }

    public static TheoryData<EmbeddingSpace> OtherSpaces() =>
    [
        Space with { Model = Space.Model with { Revision = "rev-2-fedcba9876543210" } },
        Space with { Model = Space.Model with { Variant = "other" } },
        Space with { Metric = DistanceMetric.Dot },
        Space with { Normalized = false },
    ];

    [Theory]
    [MemberData(nameof(OtherSpaces))]
    public async Task Another_space_sharing_the_disk_file_misses(EmbeddingSpace other)
    {
        var path = _folder.File("cache.db");
        using (var cache = new CachingEmbeddingGenerator(new CountingEmbeddingGenerator(Space), Space, new EmbeddingCacheOptions { DiskPath = path }))
        {
            await cache.GenerateAsync(["shared text"]);
        }

        var inner = new CountingEmbeddingGenerator(other);
        using var next = new CachingEmbeddingGenerator(inner, other, new EmbeddingCacheOptions { DiskPath = path });
        var result = await next.GenerateAsync(["shared text"]);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(1, next.Misses);
        Assert.Equal(CountingEmbeddingGenerator.VectorOf("shared text", other), result[0].Vector.ToArray());
    }

    [Fact]
    public async Task The_dimensions_option_separates_entries()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);
        var four = new EmbeddingGenerationOptions { Dimensions = 4 };

        var short1 = await cache.GenerateAsync(["text"], four);
        var full1 = await cache.GenerateAsync(["text"]);
        var short2 = await cache.GenerateAsync(["text"], new EmbeddingGenerationOptions { Dimensions = 4 });
        var full2 = await cache.GenerateAsync(["text"], new EmbeddingGenerationOptions { Dimensions = null });

        Assert.Equal(2, inner.Calls);
        Assert.Equal(4, short1[0].Vector.Length);
        Assert.Equal(8, full1[0].Vector.Length);
        Assert.Equal(short1[0].Vector.ToArray(), short2[0].Vector.ToArray());
        Assert.Equal(full1[0].Vector.ToArray(), full2[0].Vector.ToArray());
    }

    [Fact]
    public async Task An_additional_property_such_as_a_prompt_variant_separates_entries()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);
        static EmbeddingGenerationOptions Variant(string variant, bool extraFirst)
        {
            var properties = new AdditionalPropertiesDictionary();
            if (extraFirst)
            {
                properties["truncate"] = "end";
            }

            properties["variant"] = variant;
            if (!extraFirst)
            {
                properties["truncate"] = "end";
            }

            return new EmbeddingGenerationOptions { AdditionalProperties = properties };
        }

        var query = await cache.GenerateAsync(["text"], Variant("query", extraFirst: false));
        var passage = await cache.GenerateAsync(["text"], Variant("passage", extraFirst: false));
        var queryAgain = await cache.GenerateAsync(["text"], Variant("query", extraFirst: true));

        Assert.Equal(2, inner.Calls);
        Assert.Equal(CountingEmbeddingGenerator.VectorOf("text", Space, variant: "query"), query[0].Vector.ToArray());
        Assert.Equal(CountingEmbeddingGenerator.VectorOf("text", Space, variant: "passage"), passage[0].Vector.ToArray());
        Assert.Equal(query[0].Vector.ToArray(), queryAgain[0].Vector.ToArray());
    }

    [Fact]
    public async Task An_option_that_has_no_json_form_is_refused_by_name()
    {
        using var cache = new CachingEmbeddingGenerator(new CountingEmbeddingGenerator(Space), Space);
        var options = new EmbeddingGenerationOptions { AdditionalProperties = new() { ["callback"] = new Action(() => { }) } };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => cache.GenerateAsync(["text"], options));

        Assert.Contains("AdditionalProperties[\"callback\"]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inputs_differing_only_by_a_lone_surrogate_do_not_share_an_entry()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);

        var result = await cache.GenerateAsync(["a\uD800", "a\uDC00", "a\uFFFD"]);

        Assert.Equal(3, cache.Misses);
        Assert.Equal(["a\uD800", "a\uDC00", "a\uFFFD"], inner.Requests[0]);
        Assert.Equal(CountingEmbeddingGenerator.VectorOf("a\uDC00", Space), result[1].Vector.ToArray());
    }

    [Fact]
    public async Task The_disk_store_answers_a_new_instance()
    {
        var path = _folder.File("nested/cache.db");
        Embedding<float> original;
        using (var cache = new CachingEmbeddingGenerator(new CountingEmbeddingGenerator(Space), Space, new EmbeddingCacheOptions { DiskPath = path }))
        {
            original = (await cache.GenerateAsync(["persisted", "also persisted"]))[0];
        }

        var inner = new CountingEmbeddingGenerator(Space);
        using var next = new CachingEmbeddingGenerator(inner, Space, new EmbeddingCacheOptions { DiskPath = path });
        var result = await next.GenerateAsync(["persisted", "new", "also persisted"]);

        Assert.Equal(["new"], Assert.Single(inner.Requests));
        Assert.Equal(2, next.Hits);
        var hit = result[0];
        Assert.Equal(original.Vector.ToArray(), hit.Vector.ToArray());
        Assert.Equal(original.ModelId, hit.ModelId);
        Assert.Equal(original.CreatedAt, hit.CreatedAt);
        Assert.Equal(true, hit.AdditionalProperties!["cached"]);
        Assert.Equal(9, hit.AdditionalProperties["tokens"]);
        Assert.Equal(false, hit.AdditionalProperties["truncated"]);
        Assert.Equal("fake", hit.AdditionalProperties["note"]);
        Assert.Equal(0.1, hit.AdditionalProperties["ratio"]);
        Assert.Equal(CountingEmbeddingGenerator.VectorOf("also persisted", Space), result[2].Vector.ToArray());
    }

    [Fact]
    public async Task The_disk_store_keeps_the_requested_dimensions_apart()
    {
        var path = _folder.File("cache.db");
        using (var cache = new CachingEmbeddingGenerator(new CountingEmbeddingGenerator(Space), Space, new EmbeddingCacheOptions { DiskPath = path }))
        {
            await cache.GenerateAsync(["text"], new EmbeddingGenerationOptions { Dimensions = 4 });
        }

        var inner = new CountingEmbeddingGenerator(Space);
        using var next = new CachingEmbeddingGenerator(inner, Space, new EmbeddingCacheOptions { DiskPath = path });
        var full = await next.GenerateAsync(["text"]);
        var four = await next.GenerateAsync(["text"], new EmbeddingGenerationOptions { Dimensions = 4 });

        Assert.Equal(1, inner.Calls);
        Assert.Equal(8, full[0].Vector.Length);
        Assert.Equal(4, four[0].Vector.Length);
    }

    public static TheoryData<string> Damages() =>
    [
        "UPDATE embeddings SET vector = substr(vector, 1, 12)",
        "UPDATE embeddings SET vector = zeroblob(length(vector))",
        "UPDATE embeddings SET vector = CAST(vector || x'00000000' AS BLOB)",
        "UPDATE embeddings SET vector = CAST(x'01' || substr(vector, 2) AS BLOB)",
        "UPDATE embeddings SET digest = x'00'",
        "UPDATE embeddings SET properties = '{\"tokens\":[\"Int32\",\"not a number\"]}'",
        "UPDATE embeddings SET properties = 'not json'",
        "UPDATE embeddings SET model_id = 'someone/else'",
        "UPDATE embeddings SET created_at = NULL",
    ];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_disk_row_is_a_miss_and_is_replaced(string damage)
    {
        var path = _folder.File("cache.db");
        using (var cache = new CachingEmbeddingGenerator(new CountingEmbeddingGenerator(Space), Space, new EmbeddingCacheOptions { DiskPath = path }))
        {
            await cache.GenerateAsync(["fragile"]);
        }

        Damage(path, damage);

        var inner = new CountingEmbeddingGenerator(Space);
        using (var next = new CachingEmbeddingGenerator(inner, Space, new EmbeddingCacheOptions { DiskPath = path }))
        {
            var result = await next.GenerateAsync(["fragile"]);
            Assert.Equal(1, inner.Calls);
            Assert.Equal(1, next.Misses);
            Assert.Equal(0, next.DiskErrors);
            Assert.Equal(CountingEmbeddingGenerator.VectorOf("fragile", Space), result[0].Vector.ToArray());
        }

        var third = new CountingEmbeddingGenerator(Space);
        using var healed = new CachingEmbeddingGenerator(third, Space, new EmbeddingCacheOptions { DiskPath = path });
        await healed.GenerateAsync(["fragile"]);
        Assert.Equal(0, third.Calls);
    }

    [Fact]
    public void A_file_that_is_not_a_cache_is_refused_naming_it()
    {
        var path = _folder.File("cache.db");
        File.WriteAllText(path, "this is not a SQLite database, just some text long enough to fill a header.....................");

        var e = Assert.Throws<StoredDataException>(() =>
            new CachingEmbeddingGenerator(new CountingEmbeddingGenerator(Space), Space, new EmbeddingCacheOptions { DiskPath = path }));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("delete it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_fails_to_write_costs_only_the_disk_copy()
    {
        var path = _folder.File("cache.db");
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space, new EmbeddingCacheOptions { DiskPath = path });
        Damage(path, "DROP TABLE embeddings");

        var first = await cache.GenerateAsync(["text"]);
        var second = await cache.GenerateAsync(["text"]);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(CountingEmbeddingGenerator.VectorOf("text", Space), first[0].Vector.ToArray());
        Assert.Equal(first[0].Vector.ToArray(), second[0].Vector.ToArray());
        Assert.True(cache.DiskErrors >= 1);
    }

    [Fact]
    public async Task The_least_recently_used_entry_goes_first_at_max_entries()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space, new EmbeddingCacheOptions { MaxEntries = 2 });

        await cache.GenerateAsync(["a", "b"]);
        await cache.GenerateAsync(["a"]);
        await cache.GenerateAsync(["c"]);
        Assert.Equal(2, cache.MemoryCount);

        await cache.GenerateAsync(["a"]);
        Assert.Equal(2, inner.Calls);
        await cache.GenerateAsync(["b"]);
        Assert.Equal(3, inner.Calls);
        Assert.Equal(["b"], inner.Requests[2]);
        Assert.Equal(2, cache.MemoryCount);
    }

    [Fact]
    public async Task Evicted_entries_are_still_answered_by_the_disk_store()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space, new EmbeddingCacheOptions { MaxEntries = 1, DiskPath = _folder.File("cache.db") });

        await cache.GenerateAsync(["a", "b", "c"]);
        var result = await cache.GenerateAsync(["c", "a", "b"]);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(3, cache.Hits);
        Assert.Equal(CountingEmbeddingGenerator.VectorOf("a", Space), result[1].Vector.ToArray());
    }

    [Fact]
    public async Task Max_entries_zero_keeps_nothing_in_memory()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space, new EmbeddingCacheOptions { MaxEntries = 0 });

        await cache.GenerateAsync(["a", "a"]);
        await cache.GenerateAsync(["a"]);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, cache.MemoryCount);
        Assert.Equal(1, cache.Hits);
    }

    [Theory]
    [InlineData(false, 100_000)]
    [InlineData(false, 7)]
    [InlineData(true, 7)]
    public async Task Many_threads_get_the_right_vectors(bool disk, int maxEntries)
    {
        var inner = new CountingEmbeddingGenerator(Space);
        var options = new EmbeddingCacheOptions { MaxEntries = maxEntries, DiskPath = disk ? _folder.File("cache.db") : null };
        using var cache = new CachingEmbeddingGenerator(inner, Space, options);
        var texts = Enumerable.Range(0, 40).Select(i => $"text {i}").ToArray();
        var failures = new ConcurrentQueue<string>();
        long asked = 0;

        await Task.WhenAll(Enumerable.Range(0, 16).Select(thread => Task.Run(async () =>
        {
            var random = new Random(thread);
            for (var round = 0; round < 60; round++)
            {
                var batch = Enumerable.Range(0, random.Next(1, 9)).Select(_ => texts[random.Next(texts.Length)]).ToArray();
                Interlocked.Add(ref asked, batch.Length);
                var result = await cache.GenerateAsync(batch);
                for (var i = 0; i < batch.Length; i++)
                {
                    if (!result[i].Vector.Span.SequenceEqual(CountingEmbeddingGenerator.VectorOf(batch[i], Space)))
                    {
                        failures.Enqueue($"thread {thread} round {round}: wrong vector for {batch[i]}");
                    }
                }
            }
        })));

        Assert.Empty(failures);
        Assert.Equal(asked, cache.Hits + cache.Misses);
        Assert.Equal(inner.Requests.Sum(r => r.Length), cache.Misses);
        Assert.All(inner.Requests, r => Assert.Equal(r.Length, r.Distinct().Count()));
        Assert.Equal(0, cache.DiskErrors);
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_call_before_the_inner_generator()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GenerateAsync(["text"], cancellationToken: cancellation.Token));

        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task Cancelling_during_the_inner_call_reaches_it_and_caches_nothing()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);
        using var cancellation = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inner.During = async token =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
        };

        var call = cache.GenerateAsync(["text"], cancellationToken: cancellation.Token);
        await started.Task;
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        inner.During = null;
        await cache.GenerateAsync(["text"]);
        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, cache.Hits);
        Assert.Equal(1, cache.Misses);
    }

    [Fact]
    public void GetService_answers_the_space_and_the_cache_and_delegates_the_rest()
    {
        var inner = new CountingEmbeddingGenerator(Space);
        using var cache = new CachingEmbeddingGenerator(inner, Space);

        Assert.Same(Space, cache.GetService<EmbeddingSpace>());
        Assert.Same(cache, cache.GetService<CachingEmbeddingGenerator>());
        Assert.Same(cache, cache.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Same(inner, cache.GetService<CountingEmbeddingGenerator>());
        Assert.Null(cache.GetService(typeof(EmbeddingSpace), serviceKey: "other"));
        Assert.Throws<ArgumentNullException>(() => cache.GetService(null!));
    }

    [Fact]
    public void The_space_can_come_from_the_inner_generator()
    {
        using var cache = new CachingEmbeddingGenerator(new CountingEmbeddingGenerator(Space));
        Assert.Same(Space, cache.Space);
    }

    [Fact]
    public void A_space_other_than_the_inner_generators_is_refused_naming_both()
    {
        var other = Space with { Model = Space.Model with { Revision = "rev-2-fedcba9876543210" } };
        var e = Assert.Throws<ArgumentException>(() => new CachingEmbeddingGenerator(new CountingEmbeddingGenerator(Space), other));
        Assert.Contains("rev-1-0123456789abcdef", e.Message, StringComparison.Ordinal);
        Assert.Contains("rev-2-fedcba9876543210", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_max_entries_are_refused()
    {
        var e = Assert.Throws<QuiverException>(() =>
            new CachingEmbeddingGenerator(new CountingEmbeddingGenerator(Space), Space, new EmbeddingCacheOptions { MaxEntries = -1 }));
        Assert.Contains("-1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inner_generator_giving_vectors_of_another_length_is_refused()
    {
        var inner = new CountingEmbeddingGenerator(Space) { ReturnedDimensions = 5 };
        using var cache = new CachingEmbeddingGenerator(inner, Space);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GenerateAsync(["text"]));

        Assert.Contains("5-dimensional", e.Message, StringComparison.Ordinal);
        Assert.Contains("calls for 8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_disposes_the_inner_generator_unless_told_not_to()
    {
        var owned = new CountingEmbeddingGenerator(Space);
        var cache = new CachingEmbeddingGenerator(owned, Space, new EmbeddingCacheOptions { DiskPath = _folder.File("cache.db") });
        cache.Dispose();
        Assert.True(owned.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.GenerateAsync(["text"]));

        var shared = new CountingEmbeddingGenerator(Space);
        new CachingEmbeddingGenerator(shared, Space, new EmbeddingCacheOptions { DisposeInnerGenerator = false }).Dispose();
        Assert.False(shared.Disposed);
    }

    [Fact]
    public async Task Hits_and_misses_are_published_on_the_quiver_models_meter()
    {
        var space = Space with { Model = Space.Model with { Name = "metered", Variant = Guid.NewGuid().ToString("N") } };
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Quiver.Models")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "quiver.model_id" && Equals(tag.Value, space.ModelId))
                {
                    totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
                }
            }
        });
        listener.Start();

        using var cache = new CachingEmbeddingGenerator(new CountingEmbeddingGenerator(space), space);
        await cache.GenerateAsync(["a", "b", "a"]);
        await cache.GenerateAsync(["b"]);

        Assert.Equal(2, totals["quiver.embedding_cache.hits"]);
        Assert.Equal(2, totals["quiver.embedding_cache.misses"]);
    }

    private static void Damage(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
