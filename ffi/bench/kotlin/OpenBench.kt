// Issue 6's cold-start figure: in a fresh JVM, the time from before the first call into the
// bindings to after `TengStore.open` returns on an existing store. That first call loads JNA's
// dispatch library and libteng_ffi, registers the native functions and checks the bindings'
// checksums against the library; then the store opens (SQLite file, schema check, reader pool).
// scripts/bench-ffi.sh starts one JVM per measurement.
//
//   java -Djna.library.path=<folder of libteng_ffi.so> -cp <jar>:<classpath> \
//       kg.teng.bench.OpenBenchKt <existing database file>
//
// Prints one line: `open_ms=... jna_ms=... bindings_ms=... store_open_ms=... first_search_ms=...
// jvm_start_to_open_ms=... listings=...`. open_ms is the figure; the three parts of it are JNA's own
// start (its classes and libjnidispatch), the bindings' start (loading libteng_ffi, registering its
// functions, the checksum calls) and `TengStore.open` itself, timed by starting the first two
// explicitly (the work is the same as when the first call does it all). The first search is
// reported apart: it builds the in-memory search facets once per open.
package kg.teng.bench

import java.lang.management.ManagementFactory
import kg.teng.core.Language
import kg.teng.core.SearchQuery
import kg.teng.core.TengStore

/** Initialises a class by name; false if the generated code no longer has it. */
private fun initialise(name: String): Boolean = try {
    Class.forName(name, true, TengStore::class.java.classLoader)
    true
} catch (e: ClassNotFoundException) {
    false
}

fun main(args: Array<String>) {
    val db = args.singleOrNull() ?: error("usage: OpenBenchKt <existing database file>")
    require(java.io.File(db).isFile) { "$db does not exist: OpenBench measures opening an existing store" }

    val start = System.nanoTime()
    initialise("com.sun.jna.Native")
    val jna = System.nanoTime()
    // The generated code's internal objects that load the library (IntegrityCheckingUniffiLib,
    // whose start UniffiLib's triggers, registers the checksum functions and calls them).
    initialise("kg.teng.core.UniffiLib")
    val bindings = System.nanoTime()
    val store = TengStore.open(db, Language.KY)
    val opened = System.nanoTime()
    val sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().startTime
    val page = store.search(SearchQuery(text = "бухгалтер"))
    val searched = System.nanoTime()

    val listings = store.stats().listings
    check(page.hits.isNotEmpty()) { "no hits: not a seeded store?" }
    store.close()
    fun ms(from: Long, to: Long) = "%.2f".format((to - from) / 1e6)
    println("open_ms=${ms(start, opened)} jna_ms=${ms(start, jna)} bindings_ms=${ms(jna, bindings)} " +
        "store_open_ms=${ms(bindings, opened)} first_search_ms=${ms(opened, searched)} " +
        "jvm_start_to_open_ms=$sinceJvmStart listings=$listings")
}
