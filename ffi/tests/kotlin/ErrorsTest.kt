package kg.teng.core.test

import kg.teng.core.Language
import kg.teng.core.SearchQuery
import kg.teng.core.TengException
import kg.teng.core.TengStore
import java.io.File
import java.nio.ByteBuffer
import java.util.UUID
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class ErrorsTest {
    @Test
    fun aFileThatIsNotATengDatabaseIsStoreCorrupt() {
        val file = File(Demo.tempDir(), "teng.db")
        file.writeBytes(ByteArray(8192) { 0x5a })
        val e = assertThrowsTeng<TengException.StoreCorrupt> { TengStore.open(file.path, Language.RU) }
        assertTrue(e.detail, e.detail.contains(file.path))
        assertTrue(e.toString(), e.toString().contains("damaged"))
    }

    @Test
    fun aDatabaseFromANewerAppIsSchemaTooNew() {
        val supported = Demo.open().stats().schemaVersion
        val file = File(Demo.tempDir(), "teng.db")
        file.writeBytes(emptySqliteDatabase(userVersion = 99))
        val e = assertThrowsTeng<TengException.SchemaTooNew> { TengStore.open(file.path, Language.RU) }
        assertEquals(99L, e.found)
        assertEquals(supported, e.supported)
        assertTrue(e.toString(), e.toString().contains("update the app"))
    }

    /**
     * A valid, empty SQLite database (one 4096-byte page) whose `PRAGMA user_version` is
     * `userVersion`: what a newer app that added migrations would leave, written by hand because
     * the JVM side has no SQLite. Layout: sqlite.org/fileformat.html, "The Database Header".
     */
    private fun emptySqliteDatabase(userVersion: Int): ByteArray {
        val page = ByteBuffer.allocate(4096)
        page.put("SQLite format 3\u0000".toByteArray(Charsets.US_ASCII))
        page.putShort(16, 4096.toShort()) // page size
        page.put(18, 1).put(19, 1) // rollback journal, read and write format 1
        page.put(21, 64).put(22, 32).put(23, 32) // payload fractions (fixed values)
        page.putInt(24, 1) // file change counter
        page.putInt(28, 1) // size in pages
        page.putInt(44, 4) // schema format
        page.putInt(56, 1) // UTF-8
        page.putInt(60, userVersion)
        page.putInt(92, 1) // version-valid-for = change counter
        page.putInt(96, 3_045_000) // SQLite version that wrote it
        page.put(100, 0x0D) // page 1: an empty leaf table b-tree (sqlite_schema)
        page.putShort(105, 4096.toShort()) // cell content starts at the end of the page
        return page.array()
    }

    @Test
    fun aFolderThatDoesNotExistIsStoreUnavailable() {
        val file = File(Demo.tempDir(), "no/such/folder/teng.db")
        assertThrowsTeng<TengException.StoreUnavailable> { TengStore.open(file.path, Language.RU) }
    }

    @Test
    fun aClosedStoreAnswersStoreClosed() {
        val store = Demo.open()
        store.closeStore()
        store.closeStore()
        assertTrue(store.isClosed())
        assertThrowsTeng<TengException.StoreClosed> { store.search(SearchQuery()) }
        assertThrowsTeng<TengException.StoreClosed> { store.savedJobs() }
        assertThrowsTeng<TengException.StoreClosed> { store.stats() }
        store.close()
    }

    @Test
    fun errorsAreTypedAndCarryTheirFields() {
        val store = Demo.shared
        val missing = UUID.randomUUID().toString()
        val notFound = assertThrowsTeng<TengException.NotFound> { store.listing(missing) }
        assertTrue(notFound.toString(), notFound.toString().contains(missing))
        val invalid = assertThrowsTeng<TengException.InvalidInput> { store.listing("listing-1") }
        assertEquals("id", invalid.field)
        assertTrue(invalid.reason.contains("listing-1"))
        assertEquals("listings", assertThrowsTeng<TengException.InvalidInput> {
            store.seedDemoData(0u, 1uL)
        }.field)
        // Every error is a kotlin.Exception: catchable as one, and not an unchecked crash.
        val any: Exception = assertThrowsTeng<TengException> { store.listing("") }
        assertTrue(any is TengException.InvalidInput)
    }
}
