// Runs every JUnit 4 test class of the Kotlin bindings, prints one line per test and the closing
// line "N passed, N failed"; exits non-zero when a test failed or none ran.
package kg.teng.core.test

import kotlin.system.exitProcess
import org.junit.runner.Description
import org.junit.runner.JUnitCore
import org.junit.runner.notification.Failure
import org.junit.runner.notification.RunListener

val TEST_CLASSES = listOf(
    SearchTest::class.java,
    ListingTest::class.java,
    LabelsTest::class.java,
    SavedJobsTest::class.java,
    ReportsTest::class.java,
    ErrorsTest::class.java,
    ConcurrencyTest::class.java,
    SyncTest::class.java,
)

fun main() {
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
            println(failure.trace.lines().take(12).joinToString("\n") { "    $it" })
        }

        override fun testFinished(description: Description) {
            if (description !in failed) {
                val ms = (System.nanoTime() - started) / 1_000_000
                println("ok   ${description.displayName} (${ms} ms)")
            }
        }
    })
    val result = core.run(*TEST_CLASSES.toTypedArray())
    val passed = result.runCount - result.failureCount
    println()
    println("$passed passed, ${result.failureCount} failed, ${result.ignoreCount} skipped")
    exitProcess(if (result.wasSuccessful() && result.runCount > 0) 0 else 1)
}
