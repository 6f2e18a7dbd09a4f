// Runs every JUnit 4 test class of the shared module (found in the compiled jar or folder: a new
// test class cannot be forgotten), one line per test, and closes with
// "android-demo: N passed, N failed". Exits non-zero when a test failed or none ran. Stops the
// test server at the end, whatever happened.
package kg.teng.shared

import kg.teng.shared.support.TestServer
import java.io.File
import java.util.jar.JarFile
import kotlin.system.exitProcess
import org.junit.Test
import org.junit.runner.Description
import org.junit.runner.JUnitCore
import org.junit.runner.notification.Failure
import org.junit.runner.notification.RunListener

/** Test classes first by this order (fast, offline ones first), then by name. */
private val ORDER = listOf("FormatTest", "ApplyLinksTest", "AccessibilityRulesTest")

fun testClasses(): List<Class<*>> {
    val location = File(TestServer::class.java.protectionDomain.codeSource.location.toURI())
    val names = if (location.isFile) {
        JarFile(location).use { jar -> jar.entries().asSequence().map { it.name }.toList() }
    } else {
        location.walk().filter { it.isFile }.map { it.relativeTo(location).invariantSeparatorsPath }.toList()
    }
    return names
        .filter { it.startsWith("kg/teng/shared/") && it.endsWith("Test.class") && '$' !in it }
        .map { Class.forName(it.removeSuffix(".class").replace('/', '.')) }
        .filter { c -> c.methods.any { it.isAnnotationPresent(Test::class.java) } }
        .sortedWith(compareBy({ ORDER.indexOf(it.simpleName).let { i -> if (i < 0) ORDER.size else i } }, { it.simpleName }))
}

/** The head of a stack trace, and the head of each cause and suppressed exception in it. */
fun shortTrace(trace: String): List<String> {
    val lines = trace.lines()
    val keep = mutableListOf<String>()
    var budget = 14
    for (line in lines) {
        val trimmed = line.trimStart()
        if (trimmed.startsWith("Caused by:") || trimmed.startsWith("Suppressed:")) budget = 8
        if (budget > 0 && line.isNotBlank()) keep += line
        budget -= 1
    }
    return keep
}

fun main() {
    val start = System.nanoTime()
    var status = 1
    try {
        val classes = testClasses()
        val core = JUnitCore()
        core.addListener(object : RunListener() {
            private val failed = mutableSetOf<Description>()
            private var started = 0L

            override fun testStarted(description: Description) {
                started = System.nanoTime()
            }

            override fun testFailure(failure: Failure) {
                failed += failure.description
                println("FAIL ${failure.description.displayName}")
                println(shortTrace(failure.trace).joinToString("\n") { "    $it" })
            }

            override fun testFinished(description: Description) {
                if (description !in failed) {
                    println("ok   ${description.displayName} (${(System.nanoTime() - started) / 1_000_000} ms)")
                }
            }
        })
        val result = core.run(*classes.toTypedArray())
        val passed = result.runCount - result.failureCount
        println()
        println("test classes: ${classes.size}; time: ${(System.nanoTime() - start) / 1_000_000} ms")
        println("android-demo: $passed passed, ${result.failureCount} failed")
        status = if (result.wasSuccessful() && result.runCount > 0) 0 else 1
    } finally {
        TestServer.stopShared()
    }
    exitProcess(status)
}
