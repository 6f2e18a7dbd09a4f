package kg.teng.core.test

import kg.teng.core.Accommodation
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class ConcurrencyTest {
    @Test
    fun fourThreadsSearchWhileOneSavesJobs() {
        val store = Demo.seeded(1000u)
        val queries = listOf(
            SearchQuery(text = "бухгалтер"),
            SearchQuery(text = "bishkek", pageSize = 50u),
            SearchQuery(filters = SearchFilters(accommodations = listOf(Accommodation.FLEXIBLE_HOURS))),
            SearchQuery(text = "мугалим"),
        )
        val expected = queries.map { store.search(it) }
        val toSave = store.search(SearchQuery(pageSize = 200u)).hits.map { it.listing.id }

        val pool = Executors.newFixedThreadPool(5)
        val start = CountDownLatch(1)
        val searchers = queries.indices.map { i ->
            pool.submit(Callable {
                start.await()
                var rounds = 0
                repeat(60) {
                    val page = store.search(queries[i])
                    assertEquals(expected[i].total, page.total)
                    assertEquals(expected[i].hits.map { it.listing.id }, page.hits.map { it.listing.id })
                    rounds++
                }
                rounds
            })
        }
        val saver = pool.submit(Callable {
            start.await()
            for (id in toSave) store.saveJob(id, "saved from a background thread")
            for (id in toSave.take(50)) store.unsaveJob(id)
            toSave.size
        })
        start.countDown()
        assertEquals(200, saver.get(120, TimeUnit.SECONDS))
        for (s in searchers) assertEquals(60, s.get(120, TimeUnit.SECONDS))
        pool.shutdown()

        val saved = store.savedJobs()
        assertEquals(150, saved.size)
        assertEquals(toSave.drop(50).toSet(), saved.map { it.listingId }.toSet())
        assertTrue(saved.all { it.listing != null })
    }
}
