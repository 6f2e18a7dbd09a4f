package kg.teng.shared.report

import kg.teng.core.AccessReport
import kg.teng.core.ActionKind
import kg.teng.core.Language
import kg.teng.core.ReportStatus
import kg.teng.core.TengException
import kg.teng.core.reportPrivacyNotice
import kg.teng.shared.Presenter
import kg.teng.shared.TengRepository
import kg.teng.shared.errorText
import kg.teng.shared.text.Formatter
import kg.teng.shared.text.Phrases
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch

/** One of the user's reports, as the "Your reports" screen shows it. */
data class MyReportItem(
    val id: String,
    val buildingId: String,
    /** "Office, Chui Avenue 1", or that the building is not on this phone. */
    val buildingName: String,
    /** "3 days ago. Ramp: no ramp; entrance door width: 85 centimetres." */
    val reportedText: String,
    val sendState: SendState,
    /** What the city office did with it (the core's code; a newer server's unknown one is `OPEN`). */
    val status: ReportStatus,
    /** The core's sentence: "The city office marked this resolved on 3 December: ramp installed." */
    val statusText: String,
    /** Every status the report was given, oldest first, one sentence each. */
    val history: List<String>,
    /** Offer "Still not fixed". */
    val canReopen: Boolean,
    /** A "still not fixed" waits for the next sync. */
    val reopenPending: Boolean,
    /** The server refused the user's "still not fixed" (the city office changed the status first). */
    val problemText: String?,
    /** All of it in one go, for TalkBack. */
    val announcement: String,
)

data class MyReportsState(
    val language: Language = Language.EN,
    val loading: Boolean = true,
    val items: List<MyReportItem> = emptyList(),
    /** "Your reports: 2." */
    val countText: String = "",
    val emptyText: String? = null,
    /** What the city office sees of a report, and never sees (the core's words). */
    val privacyText: String = "",
    /** The report whose "still not fixed" is being kept right now. */
    val reopening: String? = null,
    /** "Kept: you said this is still not fixed...", announced politely. */
    val messageText: String? = null,
    val errorText: String? = null,
)

/**
 * Journey 7, hearing back from the city: every report made on this phone with what the city office
 * did with it, in the core's words, its history, and "Still not fixed" for a report the office
 * marked resolved. That answer is kept at once (offline) and shown "waiting to send" until a sync
 * sends it; if the office changed the status meanwhile, the sync's refusal is shown on the report.
 */
class MyReportsPresenter(
    private val repository: TengRepository,
    scope: CoroutineScope,
) : Presenter<MyReportsState>(MyReportsState(language = repository.language.value), scope) {

    fun start(): Job = reloadOnChanges(repository) { language -> load(language) }

    /** "Still not fixed", with what is still wrong in the user's words (optional). */
    fun reopen(reportId: String, note: String? = null): Job = scope.launch {
        val language = repository.language.value
        setState { it.copy(reopening = reportId, messageText = null, errorText = null) }
        try {
            repository.reopenReport(reportId, note?.trim()?.takeIf { it.isNotEmpty() })
            load(language)
            setState { it.copy(reopening = null, messageText = Phrases.REOPEN_KEPT[language]) }
        } catch (e: CancellationException) {
            throw e
        } catch (e: TengException.InvalidInput) {
            // The status changed under the screen (a sync arrived), or the note is too long.
            load(language)
            val text = if (e.field == "note") {
                Phrases.NOTE_TOO_LONG.fill(language, Formatter(language).number(ReportPresenter.MAX_NOTE_CHARS))
            } else {
                Phrases.FIELD_NOT_ACCEPTED.fill(language, e.reason)
            }
            setState { it.copy(reopening = null, errorText = text) }
        } catch (e: Exception) {
            setState { it.copy(reopening = null, errorText = errorText(e, language)) }
        }
    }

    fun messageShown() = setState { it.copy(messageText = null) }

    private suspend fun load(language: Language) {
        try {
            loadLatest(
                load = {
                    val reports = repository.myReports(null)
                    val refused = repository.syncProblems()
                        .filter { it.action == ActionKind.REOPEN_REPORT }
                        .associate { it.targetId to Phrases.REOPEN_NOT_ACCEPTED.fill(language, it.reason) }
                    reports to refused
                },
                apply = { (reports, refused) ->
                    val now = repository.clock.nowMs()
                    val items = reports.map { item(it, refused[it.id], language, now) }
                    setState {
                        it.copy(
                            language = language,
                            loading = false,
                            items = items,
                            countText = Phrases.ALL_MY_REPORTS.fill(language, Formatter(language).number(items.size)),
                            emptyText = if (items.isEmpty()) Phrases.NO_MY_REPORTS[language] else null,
                            privacyText = reportPrivacyNotice(language),
                            errorText = null,
                        )
                    }
                },
            )
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            setState { it.copy(loading = false, errorText = errorText(e, language)) }
        }
    }

    companion object {
        /** A report as a list item in [language]; shared with the report form's list. */
        fun item(report: AccessReport, problem: String?, language: Language, nowMs: Long): MyReportItem {
            val format = Formatter(language)
            val facts = report.facts.joinToString("; ") { format.fact(it.feature, it.value) }
                .ifEmpty { Phrases.REPORT_NOTE_ONLY[language] }
            val reported = Phrases.REPORT_ROW.fill(language, Formatter.capitalize(format.ago(report.observedAtMs, nowMs)), facts)
            val building = report.buildingName ?: Phrases.UNKNOWN_BUILDING[language]
            return MyReportItem(
                id = report.id,
                buildingId = report.buildingId,
                buildingName = building,
                reportedText = reported,
                sendState = if (report.sent) SendState.SENT else SendState.PENDING,
                status = report.status,
                statusText = report.statusText,
                history = report.statusHistory.map { it.text },
                canReopen = report.canReopen,
                reopenPending = report.reopenPending,
                problemText = problem?.takeIf { !report.reopenPending },
                announcement = Formatter.sentences(listOf(building, reported, report.note, report.statusText, problem)),
            )
        }
    }
}
