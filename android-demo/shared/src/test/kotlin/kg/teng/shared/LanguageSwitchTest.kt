package kg.teng.shared

import kg.teng.core.Language
import kg.teng.shared.details.DetailsPresenter
import kg.teng.shared.home.HomePresenter
import kg.teng.shared.report.ReportPresenter
import kg.teng.shared.saved.SavedJobsPresenter
import kg.teng.shared.search.SearchPresenter
import kg.teng.shared.settings.LanguagePresenter
import kg.teng.shared.support.Phone
import kg.teng.shared.support.Surveys
import kg.teng.shared.support.jobIn
import kg.teng.shared.support.await
import kg.teng.shared.support.hasCyrillic
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** Journey 6: one switch changes the core's sentences and labels and the app's own phrases, on every screen. */
class LanguageSwitchTest {

    @Test
    fun switchingTheLanguageChangesEveryScreen() = runBlocking<Unit> {
        val surveyed = Surveys.building
        Phone.online(language = Language.EN).use { phone ->
            phone.syncOrFail()
            val listing = phone.jobIn(surveyed)
            phone.store.saveJob(listing.id, null)

            val languages = LanguagePresenter(phone.repository, phone.scope).also { it.start() }
            val details = DetailsPresenter(phone.repository, phone.scope, listing.id).also { it.start() }
            val search = SearchPresenter(phone.repository, phone.scope).also { it.start() }
            val home = HomePresenter(phone.repository, phone.scope).also { it.start() }
            val report = ReportPresenter(phone.repository, phone.scope, listing.buildingId!!).also { it.start() }
            val saved = SavedJobsPresenter(phone.repository, phone.scope).also { it.start() }

            languages.state.await(what = "the languages") { it.options.isNotEmpty() }
            assertEquals(listOf("Кыргыз тили", "Русский", "English"), languages.state.value.options.map { it.nativeName })
            assertEquals(listOf("ky", "ru", "en"), languages.state.value.options.map { it.tag })
            assertEquals(listOf("Kyrgyz", "Russian", "English"), languages.state.value.options.map { it.localName })
            val english = details.state.await(what = "the details") { it.job != null }.job!!
            search.state.await(what = "the results") { it.results.isNotEmpty() }
            home.state.await(what = "the home screen") { !it.loading }
            report.state.await(what = "the form") { it.stepFree != null }
            assertFalse(hasCyrillic(english.access!!.summary))
            assertEquals("Step-free entrance", report.state.value.stepFree!!.title)

            languages.select(Language.RU).join()
            assertEquals(Language.RU, phone.store.language())
            val russian = details.state.await(what = "the details in Russian") { it.language == Language.RU && it.job != null }.job!!
            assertTrue(russian.access!!.summary, hasCyrillic(russian.access!!.summary))
            assertNotEquals(english.access!!.summary, russian.access!!.summary)
            assertEquals(phone.store.listing(listing.id).accessibility!!.summary, russian.access!!.summary)
            assertTrue(russian.access!!.facts.all { "уверенность" in it.text })
            assertTrue(russian.access!!.lastReportedText.startsWith("Последнее сообщение: "))
            assertTrue(russian.apply.isNotEmpty())
            for ((en, ru) in english.apply.zip(russian.apply)) {
                assertTrue(ru.label, hasCyrillic(ru.label))
                assertNotEquals(en.label, ru.label)
            }
            assertTrue(russian.workText, hasCyrillic(russian.workText))
            assertEquals(english.apply.map { it.uri?.substringBefore('?') }, russian.apply.map { it.uri?.substringBefore('?') })

            assertTrue(home.state.await(what = "home in Russian") { it.language == Language.RU }.lastSyncText.startsWith("Последняя синхронизация: "))
            val searchRu = search.state.await(what = "search in Russian") { it.language == Language.RU }
            assertEquals("Вход без ступенек", searchRu.access.first().label)
            assertTrue(searchRu.results.all { hasCyrillic(it.accessText) })
            val reportRu = report.state.await(what = "the form in Russian") { it.language == Language.RU }
            assertEquals("Вход без ступенек", reportRu.stepFree!!.title)
            assertEquals(listOf("Да", "Нет", "Не знаю"), reportRu.stepFree!!.choices.map { it.label })
            assertTrue(saved.state.await(what = "saved in Russian") { it.language == Language.RU }.rows.single().savedText.startsWith("Сохранено: "))
            assertEquals(listOf("Кыргызский", "Русский", "Английский"), languages.state.value.options.map { it.localName })
            assertEquals(listOf(false, true, false), languages.state.value.options.map { it.selected })

            languages.select(Language.KY).join()
            assertTrue(home.state.await(what = "home in Kyrgyz") { it.language == Language.KY }.lastSyncText.startsWith("Акыркы синхрондоо: "))
            assertEquals(listOf("Ооба", "Жок", "Билбейм"), report.state.await(what = "the form in Kyrgyz") { it.language == Language.KY }.stepFree!!.choices.map { it.label })
            val kyrgyz = details.state.await(what = "the details in Kyrgyz") { it.language == Language.KY && it.job != null }.job!!
            assertNotEquals(russian.access!!.summary, kyrgyz.access!!.summary)
            assertTrue(kyrgyz.access!!.facts.all { "ишеним" in it.text })

            languages.select(Language.EN).join()
            val back = details.state.await(what = "the details in English again") { it.language == Language.EN && it.job != null }.job!!
            assertEquals(english.access!!.summary, back.access!!.summary)
            assertEquals(english.title, back.title)
        }
    }
}
