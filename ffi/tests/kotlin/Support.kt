// Shared fixtures for the Kotlin tests of the generated bindings: real stores in temporary
// folders, filled with the core's deterministic demo data through the bindings themselves.
package kg.teng.core.test

import kg.teng.core.Language
import kg.teng.core.TengException
import kg.teng.core.TengStore
import java.io.File
import java.nio.file.Files
import org.junit.Assert.assertEquals
import org.junit.Assert.fail

object Demo {
    const val SEED: ULong = 42uL

    private val folders = mutableListOf<File>()

    init {
        Runtime.getRuntime().addShutdownHook(Thread { folders.forEach { it.deleteRecursively() } })
    }

    /** A fresh temporary folder, removed when the JVM exits. */
    @Synchronized
    fun tempDir(): File {
        val dir = Files.createTempDirectory("teng-kotlin-").toFile()
        folders += dir
        return dir
    }

    fun open(language: Language = Language.RU): TengStore =
        TengStore.open(File(tempDir(), "teng.db").path, language)

    /** A new store holding `listings` generated listings with their organizations and buildings. */
    fun seeded(listings: UInt, language: Language = Language.RU): TengStore {
        val store = open(language)
        val stats = store.seedDemoData(listings, SEED)
        assertEquals(listings.toULong(), stats.listings)
        return store
    }

    /** One seeded store for the tests that only read (search, details, labels). */
    val shared: TengStore by lazy { seeded(2000u) }
}

/** Runs `block`, which must throw `E`, and returns the exception for further checks. */
inline fun <reified E : TengException> assertThrowsTeng(block: () -> Unit): E {
    try {
        block()
    } catch (e: TengException) {
        if (e is E) return e
        fail("expected ${E::class.simpleName}, got ${e::class.simpleName}: $e")
    }
    fail("expected ${E::class.simpleName}, nothing was thrown")
    throw IllegalStateException("unreachable")
}

fun hasCyrillic(s: String) = s.any { it in '\u0400'..'\u04FF' }

/**
 * The demo admin of the test server answering reports as a city office would (`PUT
 * /v1/city/reports/{id}/status`). scripts/lib/test-server.sh exports the password.
 */
class CityOffice(private val server: String) {
    private val token: String by lazy {
        val password = System.getenv("TENG_TEST_ADMIN_PASSWORD")?.takeIf { it.isNotBlank() }
            ?: error("TENG_TEST_ADMIN_PASSWORD is not set: run these tests through scripts/test-kotlin.sh")
        val answer = http("POST", "/v1/auth/login", """{"username":"admin","password":"$password"}""", null)
        Regex(""""token"\s*:\s*"([^"]+)"""").find(answer)!!.groupValues[1]
    }

    /** Gives report `reportId` a status, with a note written in `lang`. */
    fun answer(reportId: String, status: String, note: String? = null, lang: String? = null) {
        val fields = listOfNotNull(
            """"status":"$status"""",
            note?.let { """"note":"$it"""" },
            lang?.let { """"lang":"$it"""" },
        )
        http("PUT", "/v1/city/reports/$reportId/status", fields.joinToString(",", "{", "}"), token)
    }

    private fun http(method: String, path: String, body: String, bearer: String?): String {
        val c = java.net.URL("$server$path").openConnection() as java.net.HttpURLConnection
        c.requestMethod = method
        c.connectTimeout = 5000
        c.readTimeout = 10000
        bearer?.let { c.setRequestProperty("Authorization", "Bearer $it") }
        c.doOutput = true
        c.setRequestProperty("Content-Type", "application/json")
        c.outputStream.use { it.write(body.toByteArray()) }
        val code = c.responseCode
        val text = (if (code < 400) c.inputStream else c.errorStream)?.use { String(it.readBytes()) } ?: ""
        c.disconnect()
        check(code in 200..299) { "$method $path answered $code: $text" }
        return text
    }
}
