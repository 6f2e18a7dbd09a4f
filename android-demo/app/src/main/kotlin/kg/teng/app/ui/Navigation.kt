package kg.teng.app.ui

import android.net.Uri
import androidx.compose.foundation.layout.WindowInsets
import androidx.compose.foundation.layout.consumeWindowInsets
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Favorite
import androidx.compose.material.icons.filled.Home
import androidx.compose.material.icons.filled.Search
import androidx.compose.material3.Icon
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.res.stringResource
import androidx.navigation.NavGraph.Companion.findStartDestination
import androidx.navigation.NavHostController
import androidx.navigation.NavType
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.compose.rememberNavController
import androidx.navigation.navArgument
import kg.teng.app.R
import kg.teng.shared.TengRepository

private object Routes {
    const val HOME = "home"
    const val SEARCH = "search"
    const val SAVED = "saved"
    const val LANGUAGE = "language"
    const val MY_REPORTS = "reports"
    const val JOB = "job/{id}"
    const val REPORT = "report/{buildingId}?name={name}"

    fun job(id: String) = "job/$id"
    fun report(buildingId: String, name: String?) = "report/$buildingId?name=${Uri.encode(name.orEmpty())}"
}

private data class TopLevel(val route: String, val label: Int, val icon: ImageVector)

private val topLevel = listOf(
    TopLevel(Routes.HOME, R.string.nav_home, Icons.Filled.Home),
    TopLevel(Routes.SEARCH, R.string.nav_search, Icons.Filled.Search),
    TopLevel(Routes.SAVED, R.string.nav_saved, Icons.Filled.Favorite),
)

/**
 * The screens and how to move between them: a bottom bar for the three main places (each item a
 * visible word; the icons are decorative), and the job, report, "your reports" and language
 * screens on top.
 */
@Composable
fun TengNavHost(repository: TengRepository) {
    val nav = rememberNavController()
    val entry by nav.currentBackStackEntryAsState()
    val route = entry?.destination?.route
    Scaffold(
        bottomBar = {
            if (route == null || topLevel.any { it.route == route }) {
                NavigationBar {
                    topLevel.forEach { place ->
                        NavigationBarItem(
                            selected = route == place.route,
                            onClick = { nav.navigateTopLevel(place.route) },
                            icon = { Icon(place.icon, contentDescription = null) },
                            label = { Text(stringResource(place.label)) },
                        )
                    }
                }
            }
        },
        // Each screen's own Scaffold handles the status bar; this one only adds the bottom bar.
        contentWindowInsets = WindowInsets(0),
    ) { padding ->
        NavHost(
            navController = nav,
            startDestination = Routes.HOME,
            modifier = Modifier.padding(padding).consumeWindowInsets(padding),
        ) {
            composable(Routes.HOME) {
                HomeScreen(
                    repository = repository,
                    onOpenJob = { nav.navigate(Routes.job(it)) },
                    onFindJobs = { nav.navigateTopLevel(Routes.SEARCH) },
                    onLanguage = { nav.navigate(Routes.LANGUAGE) },
                    onMyReports = { nav.navigate(Routes.MY_REPORTS) },
                )
            }
            composable(Routes.SEARCH) {
                SearchScreen(
                    repository = repository,
                    onOpenJob = { nav.navigate(Routes.job(it)) },
                    onLanguage = { nav.navigate(Routes.LANGUAGE) },
                )
            }
            composable(Routes.SAVED) {
                SavedJobsScreen(
                    repository = repository,
                    onOpenJob = { nav.navigate(Routes.job(it)) },
                    onLanguage = { nav.navigate(Routes.LANGUAGE) },
                )
            }
            composable(Routes.JOB, arguments = listOf(navArgument("id") { type = NavType.StringType })) { back ->
                DetailsScreen(
                    repository = repository,
                    listingId = back.arguments?.getString("id").orEmpty(),
                    onBack = { nav.popBackStack() },
                    onRateBuilding = { buildingId, name -> nav.navigate(Routes.report(buildingId, name)) },
                )
            }
            composable(
                Routes.REPORT,
                arguments = listOf(
                    navArgument("buildingId") { type = NavType.StringType },
                    navArgument("name") { type = NavType.StringType; defaultValue = "" },
                ),
            ) { back ->
                ReportScreen(
                    repository = repository,
                    buildingId = back.arguments?.getString("buildingId").orEmpty(),
                    buildingName = back.arguments?.getString("name")?.takeIf { it.isNotBlank() },
                    onBack = { nav.popBackStack() },
                    onMyReports = { nav.navigate(Routes.MY_REPORTS) },
                )
            }
            composable(Routes.MY_REPORTS) {
                MyReportsScreen(repository = repository, onBack = { nav.popBackStack() })
            }
            composable(Routes.LANGUAGE) {
                LanguageScreen(repository = repository, onBack = { nav.popBackStack() })
            }
        }
    }
}

/** Switches between the bottom-bar places keeping one copy of each on the back stack. */
private fun NavHostController.navigateTopLevel(route: String) = navigate(route) {
    popUpTo(graph.findStartDestination().id) { saveState = true }
    launchSingleTop = true
    restoreState = true
}

/** The way to the language screen, as a word in the top bar of the main screens. */
@Composable
fun LanguageAction(onLanguage: () -> Unit) {
    TextButton(onClick = onLanguage) {
        Text(stringResource(R.string.language))
    }
}
