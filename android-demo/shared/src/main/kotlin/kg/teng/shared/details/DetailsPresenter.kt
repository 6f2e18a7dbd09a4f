package kg.teng.shared.details

import kg.teng.core.ApplyChannel
import kg.teng.core.BuildingAccessibility
import kg.teng.core.Language
import kg.teng.core.ListingDetails
import kg.teng.core.TengException
import kg.teng.shared.ApplyLinks
import kg.teng.shared.Presenter
import kg.teng.shared.TengRepository
import kg.teng.shared.errorText
import kg.teng.shared.text.Formatter
import kg.teng.shared.text.Phrases
import kotlin.math.roundToInt
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch

/** What the platform does with an [ApplyAction.uri]. */
enum class ApplyKind {
    /** `tel:`: open the dialer (`ACTION_DIAL`). */
    CALL,
    /** `smsto:`: open the messaging app (`ACTION_SENDTO`). */
    SMS,
    /** `https://wa.me/`: open WhatsApp, or the browser without it (`ACTION_VIEW`). */
    WHATSAPP,
    /** `mailto:`: open the mail app (`ACTION_SENDTO`). */
    EMAIL,
    /** `geo:` when the building is known, else `null`: show the place on a map (`ACTION_VIEW`). */
    VISIT,
}

/** One way to apply: the words on the control, and the URI behind it. */
data class ApplyAction(
    val kind: ApplyKind,
    /** "Call +996 555 123 456". */
    val label: String,
    /** `null` when the contact cannot be turned into a link (the label still tells it). */
    val uri: String?,
)

/** One reported fact: "Entrance door width: 90 centimetres. Confirmed, confidence 80 percent, last reported 3 days ago." */
data class FactLine(val text: String)

data class AccessSection(
    /** The core's one sentence for a screen reader: read as one, merged. */
    val summary: String,
    /** The core's sentences, one per aspect (entrance, elevator, toilet...). */
    val sentences: List<String>,
    val facts: List<FactLine>,
    /** "Last reported 3 days ago." or "Nobody has reported on this building yet." */
    val lastReportedText: String,
    /** "Reports counted: 4." */
    val reportsText: String?,
)

data class JobDetails(
    val listingId: String,
    val title: String,
    val organization: String,
    val verifiedText: String?,
    val city: String,
    val salaryText: String,
    /** "full time · on site". */
    val workText: String,
    val postedText: String,
    val isOpen: Boolean,
    val statusText: String,
    val description: String,
    /** Work languages, in words. */
    val languagesText: String,
    /** Accommodations offered, each in words. */
    val accommodations: List<String>,
    val apply: List<ApplyAction>,
    /** Building name and address, or `null` for remote work. */
    val buildingName: String?,
    val buildingAddress: String?,
    val buildingId: String?,
    /** "Remote work: there is no building to visit." for jobs without a building. */
    val remoteText: String?,
    val access: AccessSection?,
    val saved: Boolean,
    /** "Not sent yet" while the save (or unsave) waits for a sync. */
    val saveNotSentText: String?,
)

data class DetailsState(
    val language: Language = Language.EN,
    val loading: Boolean = true,
    val job: JobDetails? = null,
    /** Set when the job is not on the phone (any more). */
    val goneText: String? = null,
    val errorText: String? = null,
)

/**
 * Journey 3: one job, how to apply (call, text, WhatsApp, email, in person, as intent URIs), and
 * the building's accessibility in sentences, with each fact's confidence and age.
 */
class DetailsPresenter(
    private val repository: TengRepository,
    scope: CoroutineScope,
    val listingId: String,
) : Presenter<DetailsState>(DetailsState(language = repository.language.value), scope) {

    fun start(): Job = reloadOnChanges(repository) { language -> load(language) }

    /** Saves or unsaves the job: kept at once, sent by the next sync. */
    fun toggleSaved(note: String? = null): Job = scope.launch {
        val job = state.value.job ?: return@launch
        val language = repository.language.value
        try {
            if (job.saved) repository.unsaveJob(listingId) else repository.saveJob(listingId, note)
            load(language)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            setState { it.copy(errorText = errorText(e, language)) }
        }
    }

    private suspend fun load(language: Language) {
        try {
            loadLatest(
                load = { repository.listing(listingId) to repository.hasPendingAction(listingId) },
                apply = { (details, pending) ->
                    setState {
                        DetailsState(language = language, loading = false, job = render(details, pending, language))
                    }
                },
            )
        } catch (e: CancellationException) {
            throw e
        } catch (e: TengException.NotFound) {
            setState { DetailsState(language = language, loading = false, goneText = Phrases.JOB_NOT_ON_PHONE[language]) }
        } catch (e: Exception) {
            setState { it.copy(language = language, loading = false, errorText = errorText(e, language)) }
        }
    }

    private fun render(details: ListingDetails, pending: Boolean, language: Language): JobDetails {
        val format = Formatter(language)
        val now = repository.clock.nowMs()
        val summary = details.summary
        val building = details.building
        return JobDetails(
            listingId = summary.id,
            title = summary.title,
            organization = summary.organizationName,
            verifiedText = if (summary.organizationVerified) Phrases.VERIFIED[language] else null,
            city = summary.city,
            salaryText = format.salary(summary.salary),
            workText = Formatter.capitalize(
                listOf(summary.employmentType.label(language), summary.workMode.label(language), summary.category.label(language))
                    .joinToString(", "),
            ),
            postedText = Phrases.POSTED.fill(language, format.ago(summary.postedAtMs, now)),
            isOpen = summary.isOpen,
            statusText = if (summary.isOpen) Phrases.OPEN[language] else Phrases.CLOSED[language],
            description = details.description,
            languagesText = Formatter.capitalize(details.languages.joinToString(", ") { it.label(language) }),
            accommodations = summary.accommodations.map { Formatter.capitalize(it.label(language)) },
            apply = applyActions(details, language),
            buildingName = building?.name,
            buildingAddress = building?.let { "${it.street}, ${it.city}" },
            buildingId = building?.id,
            remoteText = if (building == null) Phrases.REMOTE_NO_BUILDING[language] else null,
            access = details.accessibility?.let { accessSection(it, format, now) },
            saved = details.isSaved,
            saveNotSentText = if (pending) Phrases.NOT_SENT_YET[language] else null,
        )
    }

    private fun applyActions(details: ListingDetails, language: Language): List<ApplyAction> {
        val title = details.summary.title
        val message = Phrases.APPLY_MESSAGE.fill(language, title)
        val building = details.building
        return details.applyVia.map { method ->
            val value = method.value
            when (method.channel) {
                ApplyChannel.PHONE -> ApplyAction(ApplyKind.CALL, Phrases.APPLY_CALL.fill(language, value), ApplyLinks.tel(value))
                ApplyChannel.SMS -> ApplyAction(ApplyKind.SMS, Phrases.APPLY_SMS.fill(language, value), ApplyLinks.smsTo(value, message))
                ApplyChannel.WHATS_APP ->
                    ApplyAction(ApplyKind.WHATSAPP, Phrases.APPLY_WHATSAPP.fill(language, value), ApplyLinks.whatsApp(value, message))
                ApplyChannel.EMAIL -> ApplyAction(ApplyKind.EMAIL, Phrases.APPLY_EMAIL.fill(language, value), ApplyLinks.mailTo(value, title))
                ApplyChannel.IN_PERSON -> ApplyAction(
                    ApplyKind.VISIT,
                    Phrases.APPLY_VISIT.fill(language, value),
                    building?.let { ApplyLinks.geo(it.lat, it.lon, it.name) },
                )
            }
        }
    }

    private fun accessSection(access: BuildingAccessibility, format: Formatter, now: Long): AccessSection {
        val language = format.language
        val facts = access.facts.map { fact ->
            val value = fact.value
            val confidence = Phrases.CONFIDENCE.fill(language, format.percent((fact.confidence * 100).roundToInt().toLong()))
            val reported = fact.lastReportedAtMs?.let { Phrases.REPORTED_AGO.fill(language, format.ago(it, now)) }
            FactLine(
                Phrases.FACT_LINE.fill(
                    language,
                    Formatter.capitalize(fact.feature.label(language)),
                    // Reports that disagree evenly have no value: the state says so.
                    if (value != null) format.factValue(value) else fact.state.label(language),
                    Formatter.capitalize(fact.state.label(language)),
                    confidence,
                    reported ?: "",
                ).replace(", .", "."),
            )
        }
        return AccessSection(
            summary = access.summary,
            sentences = access.description,
            facts = facts,
            lastReportedText = access.lastReportedAtMs?.let { Phrases.LAST_REPORTED.fill(language, format.ago(it, now)) }
                ?: Phrases.NOBODY_REPORTED[language],
            reportsText = if (access.reportCount > 0u) Phrases.REPORTS_COUNTED.fill(language, format.number(access.reportCount)) else null,
        )
    }
}
