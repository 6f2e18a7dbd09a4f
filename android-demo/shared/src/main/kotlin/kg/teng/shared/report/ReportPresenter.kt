package kg.teng.shared.report

import kg.teng.core.AccessFeature
import kg.teng.core.AccessLevel
import kg.teng.core.AccessReport
import kg.teng.core.ActionKind
import kg.teng.core.Answer
import kg.teng.core.Fact
import kg.teng.core.FactValue
import kg.teng.core.Language
import kg.teng.core.NewReport
import kg.teng.core.RampKind
import kg.teng.core.ReportMethod
import kg.teng.core.ReportStatus
import kg.teng.core.TengException
import kg.teng.core.ValueKind
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

/** The questions of the form; also where an error is shown. */
enum class ReportField { STEP_FREE, STEP_COUNT, RAMP, DOOR_WIDTH, ELEVATOR, ELEVATOR_WORKING, TOILET, HEARING_LOOP, METHOD, NOTE, FORM }

/** What the visitor answered; `null` is "don't know" (nothing is reported about it). */
data class ReportAnswers(
    val stepFree: Boolean? = null,
    /** Only when [stepFree] is `false`. */
    val stepCount: String = "",
    val ramp: RampKind? = null,
    val doorWidthCm: String = "",
    val elevator: Boolean? = null,
    /** Only when [elevator] is `true`. */
    val elevatorWorking: Boolean? = null,
    val toilet: AccessLevel? = null,
    val hearingLoop: Boolean? = null,
    val method: ReportMethod = ReportMethod.ESTIMATED,
    val note: String = "",
)

/** One answer of a choice question; `value == null` is "don't know". */
data class Choice<T>(val value: T?, val label: String, val selected: Boolean)

data class ChoiceQuestion<T>(
    val field: ReportField,
    val title: String,
    val choices: List<Choice<T>>,
    val visible: Boolean = true,
    val errorText: String? = null,
)

data class NumberQuestion(
    val field: ReportField,
    /** "Entrance door width, centimetres". */
    val title: String,
    val text: String,
    /** "Enter a whole number from 40 to 250." */
    val hint: String,
    val visible: Boolean = true,
    val errorText: String? = null,
)

/** Whether a report (or an answer to the city office) has left the phone. */
enum class SendState { PENDING, SENT }

data class MyReportRow(
    val id: String,
    /** "Not sent yet" / "Sent": a word, whatever colour the chip has. */
    val status: SendState,
    val statusText: String,
    /** "3 days ago. Step-free entrance: no; number of steps at the entrance: 3." */
    val text: String,
    /** What the city office did with it (the core's code). */
    val cityStatus: ReportStatus,
    /** The core's sentence: "The city office marked this resolved on 3 December: ramp installed." */
    val cityStatusText: String,
    /** "Still not fixed" can be said (on the "Your reports" screen, [MyReportsPresenter]). */
    val canReopen: Boolean,
    val announcement: String,
)

data class ReportState(
    val language: Language = Language.EN,
    val buildingId: String = "",
    val buildingName: String? = null,
    val stepFree: ChoiceQuestion<Boolean>? = null,
    val stepCount: NumberQuestion? = null,
    val ramp: ChoiceQuestion<RampKind>? = null,
    val doorWidth: NumberQuestion? = null,
    val elevator: ChoiceQuestion<Boolean>? = null,
    val elevatorWorking: ChoiceQuestion<Boolean>? = null,
    val toilet: ChoiceQuestion<AccessLevel>? = null,
    val hearingLoop: ChoiceQuestion<Boolean>? = null,
    val method: ChoiceQuestion<ReportMethod>? = null,
    val note: String = "",
    val noteError: String? = null,
    /** An error about the whole form ("Nothing to report..."). */
    val formError: String? = null,
    val saving: Boolean = false,
    /** Goes up each time the form is emptied after a report was kept (text fields start again). */
    val formVersion: Int = 0,
    /** "Your report is saved on this phone. It will be sent with the next sync." */
    val confirmationText: String? = null,
    val myReports: List<MyReportRow> = emptyList(),
    /** "Your reports on this building: 2." */
    val myReportsText: String? = null,
    /** Reports the server did not accept, with its reason. */
    val problems: List<String> = emptyList(),
    /** What the city office sees of a report, and never sees (the core's words), on the form. */
    val privacyText: String = "",
    val errorText: String? = null,
)

/**
 * Journey 4: a visitor rates a building offline. A short form of facts one can check on the spot,
 * with what the city office will see of it (the privacy notice); the report is kept on the phone at
 * once and shown "not sent yet" until a sync sends it, then "sent", with the city office's answer
 * once it comes (all reports and "still not fixed": [MyReportsPresenter]).
 */
class ReportPresenter(
    private val repository: TengRepository,
    scope: CoroutineScope,
    val buildingId: String,
    private val buildingName: String? = null,
) : Presenter<ReportState>(ReportState(language = repository.language.value, buildingId = buildingId, buildingName = buildingName), scope) {

    @Volatile private var answers = ReportAnswers()
    @Volatile private var errors: Map<ReportField, String> = emptyMap()
    @Volatile private var reports: List<AccessReport> = emptyList()
    @Volatile private var problems: List<String> = emptyList()

    fun start(): Job = reloadOnChanges(repository) { language -> load(language) }

    /** Changes answers; the form re-renders and the fields it touched lose their errors. */
    fun edit(change: (ReportAnswers) -> ReportAnswers) {
        val before = answers
        val after = change(before)
        answers = after
        errors = errors.filterKeys { field -> field != ReportField.FORM && !changed(field, before, after) }
        setState { it.copy(confirmationText = null) }
        render()
    }

    /** Validates, then keeps the report on the phone (the next sync sends it). */
    fun submit(): Job = scope.launch {
        val language = repository.language.value
        val built = build(answers, language)
        if (built.errors.isNotEmpty()) {
            errors = built.errors
            render()
            return@launch
        }
        setState { it.copy(saving = true) }
        try {
            repository.recordReport(
                NewReport(
                    buildingId = buildingId,
                    reporter = repository.reporterId,
                    method = answers.method,
                    facts = built.facts,
                    note = answers.note.trim().takeIf { it.isNotEmpty() },
                ),
            )
            answers = ReportAnswers(method = answers.method)
            errors = emptyMap()
            load(language)
            setState { it.copy(saving = false, formVersion = it.formVersion + 1, confirmationText = Phrases.REPORT_KEPT[language]) }
        } catch (e: CancellationException) {
            throw e
        } catch (e: TengException.InvalidInput) {
            errors = mapOf(fieldOf(e.field) to Phrases.FIELD_NOT_ACCEPTED.fill(language, e.reason))
            setState { it.copy(saving = false) }
            render()
        } catch (e: Exception) {
            setState { it.copy(saving = false, errorText = errorText(e, language)) }
        }
    }

    private suspend fun load(language: Language) {
        try {
            loadLatest(
                load = {
                    val mine = repository.myReports(buildingId)
                    val refused = repository.syncProblems()
                        .filter { it.action == ActionKind.SUBMIT_REPORT && it.targetId == buildingId }
                        .map { Phrases.REPORT_NOT_ACCEPTED.fill(language, it.reason) }
                    mine to refused
                },
                apply = { (mine, refused) ->
                    reports = mine
                    problems = refused
                    render()
                },
            )
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            setState { it.copy(errorText = errorText(e, language)) }
        }
    }

    /** Renders the form and the user's reports; reads them under the state lock (the newest wins). */
    private fun render() = setState { current ->
        val language = repository.language.value
        val format = Formatter(language)
        val a = answers
        val e = errors
        val now = repository.clock.nowMs()
        val dontKnow = Phrases.DONT_KNOW[language]
        fun yesNo(field: ReportField, feature: AccessFeature, value: Boolean?, visible: Boolean = true) = ChoiceQuestion(
            field = field,
            title = Formatter.capitalize(feature.label(language)),
            choices = listOf(
                Choice(true, Formatter.capitalize(Answer.YES.label(language)), value == true),
                Choice(false, Formatter.capitalize(Answer.NO.label(language)), value == false),
                Choice<Boolean>(null, Formatter.capitalize(dontKnow), value == null),
            ),
            visible = visible,
            errorText = e[field],
        )
        fun number(field: ReportField, feature: AccessFeature, text: String, visible: Boolean = true): NumberQuestion {
            val range = feature.validRange()
            val unit = feature.valueKind().takeIf { it != ValueKind.COUNT }?.label(language)
            return NumberQuestion(
                field = field,
                title = Formatter.capitalize(feature.label(language)) + (unit?.let { ", $it" } ?: ""),
                text = text,
                hint = range?.let { Phrases.WHOLE_NUMBER_BETWEEN.fill(language, format.number(it.min), format.number(it.max)) } ?: "",
                visible = visible,
                errorText = e[field],
            )
        }
        val rows = reports.map { report ->
            val status = if (report.sent) SendState.SENT else SendState.PENDING
            val statusText = if (status == SendState.PENDING) Phrases.NOT_SENT_YET[language] else Phrases.REPORT_SENT[language]
            val facts = report.facts.joinToString("; ") { format.fact(it.feature, it.value) }.ifEmpty { Phrases.REPORT_NOTE_ONLY[language] }
            val text = Phrases.REPORT_ROW.fill(language, Formatter.capitalize(format.ago(report.observedAtMs, now)), facts)
            // An unsent report's city sentence repeats "not sent yet": said once, by the chip.
            val city = report.statusText.takeIf { report.sent }
            MyReportRow(
                id = report.id,
                status = status,
                statusText = statusText,
                text = text,
                cityStatus = report.status,
                cityStatusText = report.statusText,
                canReopen = report.canReopen,
                announcement = Formatter.sentences(listOf(statusText, text, report.note, city)),
            )
        }
        current.copy(
            language = language,
            stepFree = yesNo(ReportField.STEP_FREE, AccessFeature.STEP_FREE_ENTRANCE, a.stepFree),
            stepCount = number(ReportField.STEP_COUNT, AccessFeature.ENTRANCE_STEP_COUNT, a.stepCount, visible = a.stepFree == false),
            ramp = ChoiceQuestion(
                field = ReportField.RAMP,
                title = Formatter.capitalize(AccessFeature.RAMP.label(language)),
                choices = RampKind.entries.map { kind -> Choice(kind, Formatter.capitalize(kind.label(language)), a.ramp == kind) } +
                    Choice<RampKind>(null, Formatter.capitalize(dontKnow), a.ramp == null),
                errorText = e[ReportField.RAMP],
            ),
            doorWidth = number(ReportField.DOOR_WIDTH, AccessFeature.DOOR_WIDTH, a.doorWidthCm),
            elevator = yesNo(ReportField.ELEVATOR, AccessFeature.ELEVATOR, a.elevator),
            elevatorWorking = yesNo(ReportField.ELEVATOR_WORKING, AccessFeature.ELEVATOR_WORKING, a.elevatorWorking, visible = a.elevator == true),
            toilet = ChoiceQuestion(
                field = ReportField.TOILET,
                title = Formatter.capitalize(AccessFeature.TOILET.label(language)),
                choices = AccessLevel.entries.map { level -> Choice(level, Formatter.capitalize(level.label(language)), a.toilet == level) } +
                    Choice<AccessLevel>(null, Formatter.capitalize(dontKnow), a.toilet == null),
                errorText = e[ReportField.TOILET],
            ),
            hearingLoop = yesNo(ReportField.HEARING_LOOP, AccessFeature.HEARING_LOOP, a.hearingLoop),
            method = ChoiceQuestion(
                field = ReportField.METHOD,
                title = Phrases.HOW_DO_YOU_KNOW[language],
                choices = ReportMethod.entries.map { m -> Choice(m, Formatter.capitalize(m.label(language)), a.method == m) },
            ),
            note = a.note,
            noteError = e[ReportField.NOTE],
            formError = e[ReportField.FORM],
            myReports = rows,
            myReportsText = if (rows.isEmpty()) null else Phrases.MY_REPORTS.fill(language, format.number(rows.size)),
            problems = problems,
            privacyText = reportPrivacyNotice(language),
        )
    }

    private class Built(val facts: List<Fact>, val errors: Map<ReportField, String>)

    /** The facts the answers state, or what is wrong with them. */
    private fun build(a: ReportAnswers, language: Language): Built {
        val facts = mutableListOf<Fact>()
        val errors = mutableMapOf<ReportField, String>()
        fun whole(field: ReportField, feature: AccessFeature, text: String): UInt? {
            if (text.isBlank()) return null
            val range = feature.validRange()
            val n = text.trim().toLongOrNull()
            if (n == null || (range != null && n !in range.min..range.max) || n < 0) {
                val format = Formatter(language)
                errors[field] = Phrases.WHOLE_NUMBER_BETWEEN.fill(language, format.number(range?.min ?: 0L), format.number(range?.max ?: Int.MAX_VALUE.toLong()))
                return null
            }
            return n.toUInt()
        }
        a.stepFree?.let { facts += Fact(AccessFeature.STEP_FREE_ENTRANCE, FactValue.Bool(it)) }
        if (a.stepFree == false) {
            whole(ReportField.STEP_COUNT, AccessFeature.ENTRANCE_STEP_COUNT, a.stepCount)?.let {
                facts += Fact(AccessFeature.ENTRANCE_STEP_COUNT, FactValue.Count(it))
            }
        }
        a.ramp?.let { facts += Fact(AccessFeature.RAMP, FactValue.Ramp(it)) }
        whole(ReportField.DOOR_WIDTH, AccessFeature.DOOR_WIDTH, a.doorWidthCm)?.let {
            facts += Fact(AccessFeature.DOOR_WIDTH, FactValue.Centimetres(it))
        }
        a.elevator?.let { facts += Fact(AccessFeature.ELEVATOR, FactValue.Bool(it)) }
        if (a.elevator == true) a.elevatorWorking?.let { facts += Fact(AccessFeature.ELEVATOR_WORKING, FactValue.Bool(it)) }
        a.toilet?.let { facts += Fact(AccessFeature.TOILET, FactValue.Access(it)) }
        a.hearingLoop?.let { facts += Fact(AccessFeature.HEARING_LOOP, FactValue.Bool(it)) }
        if (a.note.trim().length > MAX_NOTE_CHARS) errors[ReportField.NOTE] = Phrases.NOTE_TOO_LONG.fill(language, Formatter(language).number(MAX_NOTE_CHARS))
        if (facts.isEmpty() && a.note.isBlank() && errors.isEmpty()) errors[ReportField.FORM] = Phrases.NOTHING_TO_REPORT[language]
        return Built(facts, errors)
    }

    private fun changed(field: ReportField, before: ReportAnswers, after: ReportAnswers): Boolean = when (field) {
        ReportField.STEP_FREE -> before.stepFree != after.stepFree
        ReportField.STEP_COUNT -> before.stepCount != after.stepCount || before.stepFree != after.stepFree
        ReportField.RAMP -> before.ramp != after.ramp
        ReportField.DOOR_WIDTH -> before.doorWidthCm != after.doorWidthCm
        ReportField.ELEVATOR -> before.elevator != after.elevator
        ReportField.ELEVATOR_WORKING -> before.elevatorWorking != after.elevatorWorking || before.elevator != after.elevator
        ReportField.TOILET -> before.toilet != after.toilet
        ReportField.HEARING_LOOP -> before.hearingLoop != after.hearingLoop
        ReportField.METHOD -> before.method != after.method
        ReportField.NOTE -> before.note != after.note
        ReportField.FORM -> true
    }

    /** The form field behind an `InvalidInput.field` of the core (`facts.door_width_cm`, `note`...). */
    private fun fieldOf(coreField: String): ReportField {
        if (coreField == "note") return ReportField.NOTE
        val code = coreField.removePrefix("facts.")
        return when (AccessFeature.entries.firstOrNull { it.code() == code }) {
            AccessFeature.STEP_FREE_ENTRANCE -> ReportField.STEP_FREE
            AccessFeature.ENTRANCE_STEP_COUNT -> ReportField.STEP_COUNT
            AccessFeature.RAMP -> ReportField.RAMP
            AccessFeature.DOOR_WIDTH -> ReportField.DOOR_WIDTH
            AccessFeature.ELEVATOR -> ReportField.ELEVATOR
            AccessFeature.ELEVATOR_WORKING -> ReportField.ELEVATOR_WORKING
            AccessFeature.TOILET -> ReportField.TOILET
            AccessFeature.HEARING_LOOP -> ReportField.HEARING_LOOP
            else -> ReportField.FORM
        }
    }

    companion object {
        /** The core's limit for a visitor's note. */
        const val MAX_NOTE_CHARS = 2000
    }
}
