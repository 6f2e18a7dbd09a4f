package kg.teng.core.test

import kg.teng.core.AccessFeature
import kg.teng.core.AccessRequirement
import kg.teng.core.Accommodation
import kg.teng.core.EmploymentType
import kg.teng.core.Grade
import kg.teng.core.Language
import kg.teng.core.Region
import kg.teng.core.ValueKind
import kg.teng.core.ValueRange
import kg.teng.core.choices
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

class LabelsTest {
    @Test
    fun featuresAndEnumsHaveLabelsInKyrgyzRussianAndEnglish() {
        assertEquals("кире бериш эшигинин туурасы", AccessFeature.DOOR_WIDTH.label(Language.KY))
        assertEquals("ширина входной двери", AccessFeature.DOOR_WIDTH.label(Language.RU))
        assertEquals("entrance door width", AccessFeature.DOOR_WIDTH.label(Language.EN))
        assertEquals("жаңсоо тилинин котормочусу", Accommodation.SIGN_LANGUAGE_INTERPRETER.label(Language.KY))
        assertEquals("переводчик жестового языка", Accommodation.SIGN_LANGUAGE_INTERPRETER.label(Language.RU))
        assertEquals("sign language interpreter", Accommodation.SIGN_LANGUAGE_INTERPRETER.label(Language.EN))
        assertEquals("тепкичсиз кире бериш", AccessRequirement.STEP_FREE_ENTRANCE.label(Language.KY))
        assertEquals("Ысык-Көл облусу", Region.ISSYK_KUL.label(Language.KY))
        assertEquals("частичная занятость", EmploymentType.PART_TIME.label(Language.RU))
        assertEquals("partly accessible", Grade.LIMITED.label(Language.EN))
        assertEquals("кыргызский", Language.KY.label(Language.RU))
    }

    @Test
    fun everyChoiceHasALabelInEveryLanguageAndAStableCode() {
        val c = choices()
        val all: List<Pair<String, (Language) -> String>> =
            c.categories.map { it.code() to it::label } + c.employmentTypes.map { it.code() to it::label } +
                c.workModes.map { it.code() to it::label } + c.accommodations.map { it.code() to it::label } +
                c.regions.map { it.code() to it::label } + c.sortOrders.map { it.code() to it::label } +
                c.accessRequirements.map { it.code() to it::label } +
                c.accessCertainties.map { it.code() to it::label } +
                c.accessFeatures.map { it.code() to it::label } + c.rampKinds.map { it.code() to it::label } +
                c.doorTypes.map { it.code() to it::label } + c.signLanguages.map { it.code() to it::label } +
                c.reportMethods.map { it.code() to it::label } + c.factStates.map { it.code() to it::label } +
                c.grades.map { it.code() to it::label } + c.salaryPeriods.map { it.code() to it::label }
        assertEquals(117, all.size)
        for ((code, label) in all) {
            assertTrue(code, code.matches(Regex("[a-z0-9_]+")))
            for (language in Language.entries) assertTrue("$code in $language", label(language).isNotBlank())
            assertFalse("$code: English label", hasCyrillic(label(Language.EN)))
        }
        assertEquals(AccessFeature.entries, c.accessFeatures)
        assertEquals(29, c.accessFeatures.size)
        assertEquals(listOf("ky", "ru", "en"), c.languages.map { it.code() })
    }

    @Test
    fun featuresTellWhichValueTheyTakeAndItsRange() {
        assertEquals(ValueKind.CENTIMETRES, AccessFeature.DOOR_WIDTH.valueKind())
        assertEquals(ValueRange(30, 300), AccessFeature.DOOR_WIDTH.validRange())
        assertEquals(ValueKind.BOOL, AccessFeature.ELEVATOR.valueKind())
        assertNull(AccessFeature.ELEVATOR.validRange())
        assertEquals("door_width_cm", AccessFeature.DOOR_WIDTH.code())
    }
}
