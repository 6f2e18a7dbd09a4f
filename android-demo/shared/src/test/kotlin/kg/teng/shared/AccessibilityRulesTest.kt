package kg.teng.shared

import kg.teng.shared.ui.Palette
import java.io.File
import javax.xml.parsers.DocumentBuilderFactory
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * The app's accessibility rules, checked where a JVM can check them: colour contrast (the shared
 * Palette the Android theme is built from), the string resources in three languages, and the
 * Compose sources of app/ (which cannot be compiled here) read as text.
 */
class AccessibilityRulesTest {
    private val androidDir = File(System.getProperty("teng.android.dir") ?: "android-demo")
    private val appSources = File(androidDir, "app/src/main/kotlin")
    private val res = File(androidDir, "app/src/main/res")

    @Test
    fun everyTextColourHasAContrastOfAtLeast4Point5AndOutlines3() {
        for ((name, colors) in listOf("light" to Palette.light, "dark" to Palette.dark)) {
            for ((pair, foreground, background) in colors.textPairs()) {
                val ratio = Palette.contrast(foreground, background)
                assertTrue("$name: $pair is ${"%.2f".format(ratio)}:1", ratio >= 4.5)
            }
            val outline = Palette.contrast(colors.outline, colors.background)
            assertTrue("$name: outline is ${"%.2f".format(outline)}:1", outline >= 3.0)
        }
        // The formula itself: black on white is 21:1, a colour on itself 1:1.
        assertEquals(21.0, Palette.contrast(0xFF000000, 0xFFFFFFFF), 1e-9)
        assertEquals(1.0, Palette.contrast(0xFF005A70, 0xFF005A70), 1e-9)
        assertEquals(4.48, Palette.contrast(0xFF777777, 0xFFFFFFFF), 0.01)
    }

    private fun strings(folder: String): Map<String, String> {
        val file = File(res, "$folder/strings.xml")
        assertTrue("$file exists", file.isFile)
        val doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file)
        val nodes = doc.getElementsByTagName("string")
        return (0 until nodes.length).associate { i ->
            val node = nodes.item(i)
            node.attributes.getNamedItem("name").nodeValue to node.textContent
        }
    }

    @Test
    fun stringResourcesExistInKyrgyzRussianAndEnglishAndNoLabelSaysButton() {
        val en = strings("values")
        val ru = strings("values-ru")
        val ky = strings("values-ky")
        assertTrue(en.size > 40)
        val translatable = en.keys - "app_name"
        assertEquals("Russian has every label", translatable, ru.keys)
        assertEquals("Kyrgyz has every label", translatable, ky.keys)
        val placeholder = Regex("""%\d\$[sd]""")
        val cyrillic = Regex("[\u0400-\u04FF]")
        for (key in translatable) {
            val texts = mapOf("en" to en.getValue(key), "ru" to ru.getValue(key), "ky" to ky.getValue(key))
            val expected = placeholder.findAll(texts.getValue("en")).map { it.value }.toList()
            for ((language, text) in texts) {
                assertTrue("$language/$key is empty", text.isNotBlank())
                assertEquals("$language/$key placeholders", expected, placeholder.findAll(text).map { it.value }.toList())
                // TalkBack says the role ("button") itself; a label that says it too is read twice.
                assertTrue("$language/$key names the control: $text", !Regex("(?iu)button|кнопк|баскыч").containsMatchIn(text))
                assertTrue("$language/$key abbreviates: $text", !Regex("""(?U)\b(km|cm|км|см)\b""").containsMatchIn(text))
            }
            assertTrue("ru/$key in Cyrillic", cyrillic.containsMatchIn(texts.getValue("ru")))
            assertTrue("ky/$key in Cyrillic", cyrillic.containsMatchIn(texts.getValue("ky")))
        }
        // Kyrgyz is not Russian with another name: most labels differ.
        assertTrue(translatable.count { ru[it] != ky[it] } > translatable.size * 9 / 10)
    }

    private fun sources(): Map<String, String> {
        val files = appSources.walk().filter { it.isFile && it.extension == "kt" }.toList()
        assertTrue("the app's sources are at $appSources", files.size >= 8)
        return files.associate { it.relativeTo(appSources).path to it.readText() }
    }

    /** The text of every call `name(...)` in [source], with nested parentheses. */
    private fun calls(source: String, name: String): List<String> {
        val found = mutableListOf<String>()
        var from = 0
        val pattern = Regex("""(?<![A-Za-z.])$name\(""")
        while (true) {
            val match = pattern.find(source, from) ?: return found
            var depth = 0
            var i = match.range.last
            while (i < source.length) {
                when (source[i]) {
                    '(' -> depth++
                    ')' -> if (--depth == 0) break
                }
                i++
            }
            found += source.substring(match.range.first, minOf(i + 1, source.length))
            from = match.range.last + 1
        }
    }

    @Test
    fun theComposeSourcesFollowTheAccessibilityRules() {
        val all = sources()
        for ((file, source) in all) {
            // Text grows with the font size: no fixed heights or sizes on anything but icons.
            assertTrue("$file fixes a height", !Regex("""\.(height|requiredHeight|requiredSize)\(""").containsMatchIn(source))
            // Words on screen come from string resources or the shared layer, never literals.
            assertTrue("$file has a literal text", !Regex("""\bText\(\s*"""").containsMatchIn(source))
            assertTrue("$file has a literal description", !Regex("""contentDescription\s*=\s*"""").containsMatchIn(source))
            // Every icon says whether it means something (a description) or is decoration (null).
            for (icon in calls(source, "Icon")) {
                assertTrue("$file: an icon without contentDescription: $icon", "contentDescription" in icon)
            }
            // Clickable areas tell TalkBack what a double tap does.
            for (click in calls(source, "clickable")) {
                assertTrue("$file: clickable without onClickLabel: $click", "onClickLabel" in click)
            }
            // Rows that are one control (radio, switch) are at least 48dp tall.
            for (match in Regex("""\.(selectable|toggleable)\(""").findAll(source)) {
                val before = source.substring(maxOf(0, match.range.first - 250), match.range.first)
                assertTrue("$file: a ${match.groupValues[1]} row without heightIn(min = MinTouch)", "heightIn(min = MinTouch)" in before)
            }
        }
        assertTrue("the minimum touch target is 48dp", Regex("""val MinTouch = 48\.dp""").containsMatchIn(all.values.joinToString("\n")))
        // Every screen has a heading: its title (TengScaffold marks it) and section headings.
        val screens = all.filterKeys { it.endsWith("Screen.kt") }
        assertEquals(7, screens.size)
        for ((file, source) in screens) assertTrue("$file has no TengScaffold", "TengScaffold(" in source)
        val components = all.entries.single { it.key.endsWith("Components.kt") }.value
        assertTrue(Regex("""title = \{ Text\(title, modifier = Modifier\.semantics \{ heading\(\) \}""").containsMatchIn(components))
        assertTrue(Regex("""fun SectionHeading[\s\S]*?semantics \{ heading\(\) \}""").containsMatchIn(components))
        // The building's accessibility summary is merged into one stop.
        val details = all.entries.single { it.key.endsWith("DetailsScreen.kt") }.value
        assertTrue(Regex("""semantics\(mergeDescendants = true\)[\s\S]{0,200}access\.summary""").containsMatchIn(details))
    }
}
