// The Android UI: Jetpack Compose screens that render the shared module's state and forward the
// user's events to its presenters. No logic of its own beyond platform glue (intents, location,
// network callback, per-app language).
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

val tengRoot: File = rootDir.parentFile
val abis = listOf("arm64-v8a", "armeabi-v7a", "x86_64", "x86")
val jniLibsDir: File = file("src/main/jniLibs")

android {
    namespace = "kg.teng.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "kg.teng.app"
        // Android 7.0: see README.md ("Versions") for why.
        minSdk = 24
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        val serverUrl = providers.gradleProperty("teng.serverUrl").getOrElse("http://127.0.0.1:8080")
        buildConfigField("String", "TENG_SERVER_URL", "\"$serverUrl\"")
        ndk {
            abiFilters += abis
        }
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    packaging {
        jniLibs {
            // .so files stay uncompressed and page-aligned in the APK and load from it directly
            // (JNA's System.loadLibrary finds them). The default from minSdk 23; stated for clarity.
            useLegacyPackaging = false
        }
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    implementation(project(":shared"))
    // JNA for Android: the AAR carries libjnidispatch.so for every ABI (the plain jar has none).
    implementation("net.java.dev.jna:jna:${libs.versions.jna.get()}@aar")
    implementation(libs.kotlinx.coroutines.android)

    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.appcompat)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.lifecycle.runtime.compose)
    implementation(libs.androidx.navigation.compose)

    implementation(platform(libs.androidx.compose.bom))
    implementation(libs.androidx.compose.ui)
    implementation(libs.androidx.compose.foundation)
    implementation(libs.androidx.compose.material3)
    implementation(libs.androidx.compose.material.icons.core)
    implementation(libs.androidx.compose.ui.tooling.preview)
    debugImplementation(libs.androidx.compose.ui.tooling)
}

// ---- the native library ---------------------------------------------------------------------

// Builds libteng_ffi.so for the four ABIs into src/main/jniLibs/<abi>/ with cargo-ndk
// (`cargo install cargo-ndk`, `rustup target add ...`, ANDROID_NDK_HOME; see README.md).
// Run it when the Rust code changed: ./gradlew :app:cargoNdk
val cargoNdk by tasks.registering(Exec::class) {
    group = "teng"
    description = "Cross-compiles teng-ffi (profile release-ffi) for ${abis.joinToString()} into src/main/jniLibs."
    workingDir = tengRoot
    commandLine(
        listOf("cargo", "ndk") + abis.flatMap { listOf("-t", it) } +
            // Linked for the app's minSdk, like scripts/package-android.sh does.
            listOf("--platform", "24", "-o", jniLibsDir.path, "build", "--profile", "release-ffi", "-p", "teng-ffi"),
    )
}

// Without the native library the app would build and then crash on the first call into the core.
val checkTengNativeLibs by tasks.registering {
    group = "teng"
    description = "Fails when src/main/jniLibs has no libteng_ffi.so (run :app:cargoNdk)."
    mustRunAfter(cargoNdk)
    val dir = jniLibsDir
    val expected = abis
    doLast {
        val missing = expected.filterNot { File(dir, "$it/libteng_ffi.so").isFile }
        check(missing.size < expected.size) {
            "No libteng_ffi.so in $dir: run ./gradlew :app:cargoNdk (or the cargo ndk command in README.md)."
        }
        if (missing.isNotEmpty()) logger.warn("libteng_ffi.so missing for ${missing.joinToString()}: phones with those ABIs cannot run the app.")
    }
}

tasks.named("preBuild") {
    dependsOn(checkTengNativeLibs)
    // Opt in to building the Rust library with every app build: -Pteng.buildNative=true
    if (providers.gradleProperty("teng.buildNative").orNull == "true") dependsOn(cargoNdk)
}
