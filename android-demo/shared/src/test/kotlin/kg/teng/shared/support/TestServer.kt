package kg.teng.shared.support

import java.io.File
import java.net.HttpURLConnection
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.net.URL
import java.util.concurrent.TimeUnit

/**
 * A real `teng-server` process on 127.0.0.1 over a SQLite file in a temp folder: started with
 * demo data, stopped (the port refuses connections: the phone is offline), and restarted on the
 * same port and database.
 *
 * The binary comes from the system property `teng.server.bin` (scripts/test-android-demo.sh
 * passes `target/debug/teng-server`). Every pid is also appended to the file named by
 * `teng.test.pids`, if set, so the script can kill a server a crashed JVM left behind; a JVM
 * shutdown hook stops it too.
 */
class TestServer private constructor(private val binary: File, private val dir: File) {
    val port: Int = freePort()
    val url: String get() = "http://127.0.0.1:$port"
    private val db = File(dir, "server.db")
    private var process: Process? = null
    private var launches = 0

    /** The demo admin's password, from the server's first output. */
    lateinit var adminPassword: String
        private set

    val running: Boolean get() = process?.isAlive == true

    private fun limits() = listOf(
        "--listen", "127.0.0.1:$port",
        // Tests register many phones from one address, and send reports in bursts.
        "--device-registrations-per-minute", "100000",
        "--reports-per-hour", "100000",
    )

    private fun startDemo(listings: Int) {
        val out = launch(listOf("serve", "--db", db.path, "--demo", "--demo-listings", "$listings") + limits())
        adminPassword = Regex("""admin\s+username:\s*admin\s+password:\s*(\S+)""").find(out.readText())?.groupValues?.get(1)
            ?: error("teng-server printed no admin password:\n${out.readText()}")
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits until the port is closed. */
    @Synchronized
    fun stop() {
        val p = process ?: return
        p.destroy()
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            p.waitFor(10, TimeUnit.SECONDS)
        }
        process = null
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (portOpen() && System.nanoTime() < deadline) Thread.sleep(50)
        check(!portOpen()) { "port $port still open after stopping the server" }
    }

    /** Starts the server again on the same port and database. */
    @Synchronized
    fun restart() {
        check(process == null) { "the server is running" }
        launch(listOf("serve", "--db", db.path) + limits())
    }

    /** Makes sure the server runs (a test that stopped it may have failed before restarting it). */
    @Synchronized
    fun ensureRunning() {
        if (process?.isAlive == true) return
        process = null
        restart()
    }

    private fun launch(args: List<String>): File {
        launches += 1
        val out = File(dir, "server-$launches.out")
        val err = File(dir, "server-$launches.err")
        val p = ProcessBuilder(listOf(binary.path) + args)
            .redirectOutput(out)
            .redirectError(err)
            .also { it.environment()["TENG_LOG"] = "warn" }
            .start()
        process = p
        System.getProperty("teng.test.pids")?.let { File(it).appendText("${p.pid()}\n") }
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60)
        while (System.nanoTime() < deadline) {
            if (!p.isAlive) error("teng-server ${args.joinToString(" ")} exited with ${p.exitValue()}:\n${err.readText().takeLast(2000)}")
            if (healthy()) return out
            Thread.sleep(50)
        }
        p.destroyForcibly()
        error("teng-server did not answer /healthz within 60 s:\n${err.readText().takeLast(2000)}")
    }

    private fun healthy(): Boolean = try {
        val c = URL("$url/healthz").openConnection() as HttpURLConnection
        c.connectTimeout = 500
        c.readTimeout = 2000
        try { c.responseCode == 200 } finally { c.disconnect() }
    } catch (e: java.io.IOException) {
        false
    }

    private fun portOpen(): Boolean = try {
        Socket().use { it.connect(InetSocketAddress("127.0.0.1", port), 200); true }
    } catch (e: java.io.IOException) {
        false
    }

    // ---- server-side changes through the HTTP API, as the demo admin ---------------------------

    private var token: String? = null

    private fun adminToken(): String = token ?: run {
        val body = """{"username":"admin","password":"$adminPassword"}"""
        val answer = http("POST", "/v1/auth/login", body, auth = false)
        Regex(""""token"\s*:\s*"([^"]+)"""").find(answer)!!.groupValues[1].also { token = it }
    }

    /** Closes a published listing; the next sync removes it from phones. */
    fun closeListing(id: String) {
        val listing = http("GET", "/v1/listings/$id", null)
        val version = Regex(""""version"\s*:\s*(\d+)""").find(listing)!!.groupValues[1]
        http("POST", "/v1/listings/$id/close", """{"version":$version}""")
    }

    /** Gives a report a status as a city office would (the admin may answer any city's). */
    fun answerReport(reportId: String, status: String, note: String? = null, lang: String? = null) {
        val fields = listOfNotNull(
            """"status":"$status"""",
            note?.let { """"note":"$it"""" },
            lang?.let { """"lang":"$it"""" },
        )
        http("PUT", "/v1/city/reports/$reportId/status", fields.joinToString(",", "{", "}"))
    }

    /** The ids of the reports the server holds about a building. */
    fun reportIds(buildingId: String): Set<String> {
        val answer = http("GET", "/v1/buildings/$buildingId/reports", null)
        return Regex(""""id"\s*:\s*"([0-9a-f-]{36})"""").findAll(answer).map { it.groupValues[1] }.toSet()
    }

    private fun http(method: String, path: String, body: String?, auth: Boolean = true): String {
        val c = URL("$url$path").openConnection() as HttpURLConnection
        c.requestMethod = method
        c.connectTimeout = 5000
        c.readTimeout = 10000
        if (auth) c.setRequestProperty("Authorization", "Bearer ${adminToken()}")
        if (body != null) {
            c.doOutput = true
            c.setRequestProperty("Content-Type", "application/json")
            c.outputStream.use { it.write(body.toByteArray()) }
        }
        val code = c.responseCode
        val text = (if (code < 400) c.inputStream else c.errorStream)?.use { String(it.readBytes()) } ?: ""
        c.disconnect()
        check(code in 200..299) { "$method $path answered $code: $text" }
        return text
    }

    companion object {
        const val DEMO_LISTINGS = 300

        /** One server for the whole run, started on first use. */
        val shared: TestServer by lazy {
            val bin = System.getProperty("teng.server.bin")
                ?: error("set -Dteng.server.bin=<path of teng-server> (scripts/test-android-demo.sh does)")
            val server = TestServer(File(bin), Temp.dir("teng-server-"))
            Runtime.getRuntime().addShutdownHook(Thread { server.stop() })
            server.startDemo(DEMO_LISTINGS)
            started = server
            server
        }

        @Volatile
        private var started: TestServer? = null

        /** Stops the shared server if it was started (the runner calls it at the end). */
        fun stopShared() {
            started?.stop()
        }

        /** A port nothing listens on: a server that does not exist. */
        fun unusedPort(): Int = freePort()

        private fun freePort(): Int = ServerSocket(0).use { it.localPort }
    }
}
