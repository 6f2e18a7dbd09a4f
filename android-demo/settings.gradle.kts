// Teng's Android demo: open this folder (android-demo/) in Android Studio. See README.md.
pluginManagement {
    repositories {
        google {
            content {
                includeGroupByRegex("com\\.android.*")
                includeGroupByRegex("com\\.google.*")
                includeGroupByRegex("androidx.*")
            }
        }
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "teng-android-demo"

// shared: plain Kotlin/JVM (repository, presenters, formatting) over the generated bindings.
// app: the thin Jetpack Compose UI.
include(":shared", ":app")
