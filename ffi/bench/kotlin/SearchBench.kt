// The Kotlin half of issue 6's FFI overhead figure: searches through the generated bindings (JNA
// into libteng_ffi), the same ones ffi/benches/search_overhead.rs makes directly on teng_core, on
// the same database file. scripts/bench-ffi.sh compiles and runs both and prints the difference.
//
//   java -Djna.library.path=<folder of libteng_ffi.so> -cp <jar>:<classpath> \
//       kg.teng.bench.SearchBenchKt <database file>
//
// System properties: teng.bench.calls (measured calls per kind, default 2000), teng.bench.warmup
// (warm-up rounds, default 300; the JIT compiles the bindings' conversions during these).
// Prints figures; asserts nothing about time.
package kg.teng.bench

import kg.teng.core.AccessRequirement
import kg.teng.core.Accommodation
import kg.teng.core.Language
import kg.teng.core.NearPoint
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.SortOrder
import kg.teng.core.TengStore

private const val PAGE_SIZE = 20u

/** The four kinds of query, each a few variants used in turn; kept in step with `kinds()` in
 *  ffi/benches/search_overhead.rs (the `check` lines prove they match). */
fun queries(): List<Pair<String, List<SearchQuery>>> {
    // Odd counts, as in the Rust bench: a kind's median then falls inside one query's cluster.
    val words = listOf("бухгалтер", "оператор", "мугалим", "повар", "сатуучу")
    val cities = listOf("bishkek", "osh", "karakol")
    return listOf(
        "cyrillic-words" to words.map { SearchQuery(text = it, pageSize = PAGE_SIZE) },
        "latin-city+accommodation" to cities.map {
            SearchQuery(
                text = it,
                filters = SearchFilters(accommodations = listOf(Accommodation.FLEXIBLE_HOURS)),
                pageSize = PAGE_SIZE,
            )
        },
        "step-free-newest" to listOf(
            SearchQuery(
                filters = SearchFilters(access = listOf(AccessRequirement.STEP_FREE_ENTRANCE)),
                sort = SortOrder.NEWEST,
                pageSize = PAGE_SIZE,
            ),
        ),
        "bishkek-5km-by-distance" to listOf(
            SearchQuery(
                filters = SearchFilters(near = NearPoint(lat = 42.8746, lon = 74.5698, radiusKm = 5.0)),
                sort = SortOrder.DISTANCE,
                pageSize = PAGE_SIZE,
            ),
        ),
    )
}

/** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
fun percentileMs(sorted: LongArray, p: Double): Double {
    val rank = maxOf(1, Math.ceil(p / 100.0 * sorted.size).toInt())
    return sorted[rank - 1] / 1e6
}

fun main(args: Array<String>) {
    val db = args.singleOrNull() ?: error("usage: SearchBenchKt <database file>")
    val calls = maxOf(1, Integer.getInteger("teng.bench.calls", 2000))
    val warmup = Integer.getInteger("teng.bench.warmup", 300)
    val kinds = queries()

    TengStore.open(db, Language.KY).use { store ->
        val listings = store.stats().listings
        for ((name, variants) in kinds) {
            println("check $name ${variants.joinToString(",") { store.search(it).total.toString() }}")
        }

        val times = Array(kinds.size) { LongArray(calls) }
        val hits = LongArray(kinds.size)
        var sink = 0 // keeps the results alive
        for (round in 0 until warmup + calls) {
            for ((k, kind) in kinds.withIndex()) {
                val variants = kind.second
                val query = variants[round % variants.size]
                val start = System.nanoTime()
                val page = store.search(query)
                val elapsed = System.nanoTime() - start
                if (round >= warmup) {
                    times[k][round - warmup] = elapsed
                    hits[k] += page.hits.size.toLong()
                }
                sink += page.hits.firstOrNull()?.listing?.title?.length ?: 0
            }
        }

        println("kotlin: TengStore.search through JNA, $listings listings in $db, page size $PAGE_SIZE, " +
            "$calls calls per kind after $warmup warm-up rounds (sink $sink)")
        println("%-26s %9s %9s %9s %6s".format("kind", "p50 ms", "p99 ms", "mean ms", "hits"))
        for ((k, kind) in kinds.withIndex()) {
            val (name, variants) = kind
            val all = times[k].sortedArray()
            val mean = all.average() / 1e6
            val p50 = percentileMs(all, 50.0)
            val p99 = percentileMs(all, 99.0)
            println("%-26s %9.3f %9.3f %9.3f %6.1f".format(name, p50, p99, mean, hits[k].toDouble() / calls))
            println("result %s p50_ms=%.4f p99_ms=%.4f mean_ms=%.4f".format(name, p50, p99, mean))
            // Call i of a kind ran variant (warmup + i) % size.
            for (variant in variants.indices) {
                val own = times[k].filterIndexed { i, _ -> (warmup + i) % variants.size == variant }
                    .toLongArray().sortedArray()
                println("query %s %d p50_ms=%.4f".format(name, variant, percentileMs(own, 50.0)))
            }
        }
    }
}
