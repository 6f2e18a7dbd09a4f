#!/usr/bin/env bash
# Issue 6's figures for the bindings, printed (benchmarks print figures; nothing here is a timed
# assertion):
#   search  the same searches through the Kotlin bindings (JNA into the release-ffi library) and
#           directly on teng_core in Rust, on one database of 20,000 demo listings; p50/p99 per
#           kind of query and the differences. Rust runs twice: the release build (the server's
#           profile) and the release-ffi build (the very code the Kotlin side calls), so the cost
#           of the size profile and the cost of crossing the FFI show apart.
#   open    library load plus TengStore.open of that existing store, each in a fresh JVM; median
#           and max of several runs; again after dropping the OS file cache when that is allowed.
#   size    the stripped release-ffi cdylib for this machine, and its gzip -9 size.
#
#   scripts/bench-ffi.sh                  # all three
#   scripts/bench-ffi.sh search size      # some of them
#
# Environment: TENG_BENCH_CALLS (measured calls per kind, 2000), TENG_BENCH_WARMUP (warm-up
# rounds, 300), TENG_BENCH_OPEN_RUNS (fresh JVMs per open figure, 10).
# Works in ${CARGO_TARGET_DIR:-target}/ffi-bench: the database (seeded afresh by every run that
# measures search, with seed_demo_data(20000, 42), the function behind Kotlin's seedDemoData), the
# compiled Kotlin bench (rebuilt when its sources change) and the raw output of each bench.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

calls="${TENG_BENCH_CALLS:-2000}"
warmup="${TENG_BENCH_WARMUP:-300}"
open_runs="${TENG_BENCH_OPEN_RUNS:-10}"
sections=("$@")
((${#sections[@]})) || sections=(search open size)
for s in "${sections[@]}"; do
    case "$s" in
        search|open|size) ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
        *) echo "bench-ffi.sh: unknown section '$s' (search, open, size)" >&2; exit 2 ;;
    esac
done
wants() { [[ " ${sections[*]} " == *" $1 "* ]]; }

target_dir="$(mkdir -p "${CARGO_TARGET_DIR:-target}" && cd "${CARGO_TARGET_DIR:-target}" && pwd)"
work="$target_dir/ffi-bench"
db="$work/bench-20k.db"
mkdir -p "$work"

say() { printf '%s\n' "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# field FILE KEY TAG KIND: the value of KEY=value on each line of FILE that starts "TAG KIND ".
field() {
    awk -v k="$2" -v t="$3" -v n="$4" '$1 == t && $2 == n {
        for (i = 3; i <= NF; i++) if (index($i, k "=") == 1) print substr($i, length(k) + 2) }' "$1"
}

echo "# bench-ffi.sh, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(uname -sm)"
echo "load average at start: $(load)"

# --- Rust half of the search figure (first: building the bench with dev-dependencies may rebuild
# the library with other features; bindings.sh below rebuilds the shipped one). ---
if wants search; then
    rm -f "$db" "$db-wal" "$db-shm"
    for profile in bench release-ffi; do
        say "bench-ffi.sh: cargo bench -p teng-ffi --bench search_overhead --profile $profile"
        echo "load average before Rust ($profile): $(load)"
        TENG_BENCH_DB="$db" TENG_BENCH_CALLS="$calls" TENG_BENCH_WARMUP="$warmup" \
            cargo bench --locked -q -p teng-ffi --bench search_overhead --profile "$profile" \
            >"$work/rust-$profile.txt"
        grep -v '^\(result\|query\|check\) ' "$work/rust-$profile.txt"
    done
fi

# --- The shipped library and its Kotlin bindings, the Kotlin bench compiled against them. ---
bindings_env="$(scripts/bindings.sh --profile release-ffi --out "$work/bindings")"
lib="$(sed -n 's/^TENG_FFI_LIB=//p' <<<"$bindings_env")"
lib_dir="$(sed -n 's/^TENG_FFI_LIB_DIR=//p' <<<"$bindings_env")"

if wants search || wants open; then
    # shellcheck source=scripts/toolchain/kotlin.sh
    source scripts/toolchain/kotlin.sh # exports KOTLINC, KOTLIN_TEST_CLASSPATH, JAVA
    jar="$work/ffi-bench.jar"
    sources=("$work/bindings/kotlin/kg/teng/core/teng.kt" ffi/bench/kotlin/*.kt)
    key="$(cat "${sources[@]}" <(printf '%s\n' "$KOTLINC" "$KOTLIN_TEST_CLASSPATH") | sha256sum | cut -d' ' -f1)"
    if [[ ! -f "$jar" || ! -f "$work/jar.key" || "$(<"$work/jar.key")" != "$key" ]]; then
        say "bench-ffi.sh: kotlinc ${#sources[@]} files"
        rm -f "$jar" "$work/jar.key"
        JAVACMD="$JAVA" "$KOTLINC" -J-XX:TieredStopAtLevel=1 -nowarn -cp "$KOTLIN_TEST_CLASSPATH" \
            -d "$jar.partial.jar" "${sources[@]}"
        mv "$jar.partial.jar" "$jar"
        printf '%s\n' "$key" >"$work/jar.key"
    fi
    java_cmd=("$JAVA" -Djna.library.path="$lib_dir" -cp "$jar:$KOTLIN_TEST_CLASSPATH")
fi

if wants search; then
    echo "load average before Kotlin: $(load)"
    "${java_cmd[@]}" -Dteng.bench.calls="$calls" -Dteng.bench.warmup="$warmup" \
        kg.teng.bench.SearchBenchKt "$db" >"$work/kotlin.txt"
    grep -v '^\(result\|query\|check\) ' "$work/kotlin.txt"
    echo "load average after the search benches: $(load)"

    # Both sides must have run the same queries on the same data: equal match counts per query.
    for profile in bench release-ffi; do
        if ! diff <(grep '^check ' "$work/rust-$profile.txt") <(grep '^check ' "$work/kotlin.txt") >&2; then
            echo "bench-ffi.sh: the Rust ($profile) and Kotlin benches disagree on matches per query" >&2
            exit 1
        fi
    done

    echo
    echo "## Search: Kotlin (release-ffi library through JNA) against Rust, ms"
    echo
    echo "| query kind | Rust release p50 / p99 | Rust release-ffi p50 / p99 | Kotlin p50 / p99 | Kotlin − Rust release, p50 | Kotlin − Rust release-ffi, p50 (per query) |"
    echo "| --- | --- | --- | --- | --- | --- |"
    while read -r kind; do
        r50="$(field "$work/rust-bench.txt" p50_ms result "$kind")"
        r99="$(field "$work/rust-bench.txt" p99_ms result "$kind")"
        f50="$(field "$work/rust-release-ffi.txt" p50_ms result "$kind")"
        f99="$(field "$work/rust-release-ffi.txt" p99_ms result "$kind")"
        k50="$(field "$work/kotlin.txt" p50_ms result "$kind")"
        k99="$(field "$work/kotlin.txt" p99_ms result "$kind")"
        # Per query: Kotlin's p50 minus Rust release-ffi's p50, smallest and largest.
        per_query="$(paste <(field "$work/kotlin.txt" p50_ms query "$kind") \
            <(field "$work/rust-release-ffi.txt" p50_ms query "$kind") |
            awk 'NR == 1 { lo = hi = $1 - $2 } { d = $1 - $2; if (d < lo) lo = d; if (d > hi) hi = d }
                 END { printf "%.3f … %.3f", lo, hi }')"
        awk -v kind="$kind" -v r50="$r50" -v r99="$r99" -v f50="$f50" -v f99="$f99" \
            -v k50="$k50" -v k99="$k99" -v pq="$per_query" 'BEGIN {
                printf "| %s | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | %+.3f | %+.3f (%s) |\n",
                    kind, r50, r99, f50, f99, k50, k99, k50 - r50, k50 - f50, pq }'
    done < <(awk '/^result / { print $2 }' "$work/kotlin.txt")
    echo
    echo "Rust: TENG_BENCH_DB=$db cargo bench -p teng-ffi --bench search_overhead [--profile release-ffi]"
    echo "Kotlin: java -Djna.library.path=$lib_dir -cp <ffi-bench.jar>:\$KOTLIN_TEST_CLASSPATH kg.teng.bench.SearchBenchKt $db"
    echo "$calls calls per kind after $warmup warm-up rounds; raw output in $work/{rust-bench,rust-release-ffi,kotlin}.txt"
fi

if wants open; then
    if [[ ! -f "$db" ]]; then
        say "bench-ffi.sh: no $db yet; seeding it with the Rust bench (no timing kept)"
        TENG_BENCH_DB="$db" TENG_BENCH_CALLS=1 TENG_BENCH_WARMUP=0 \
            cargo bench --locked -q -p teng-ffi --bench search_overhead >/dev/null
    fi
    # One fresh JVM per run; one line per run: the OpenBench fields as "key=value", plus process_ms.
    # open_runs_into FILE DROP [JVM OPTION...]
    open_runs_into() {
        local out=$1 drop=$2 i line start end
        shift 2
        : >"$out"
        for ((i = 0; i < open_runs; i++)); do
            if [[ "$drop" == 1 ]]; then sync; echo 3 >/proc/sys/vm/drop_caches; fi
            start=$(date +%s%N)
            line="$("${java_cmd[0]}" "$@" "${java_cmd[@]:1}" kg.teng.bench.OpenBenchKt "$db")"
            end=$(date +%s%N)
            printf 'run %s process_ms=%s\n' "$line" "$(((end - start) / 1000000))" >>"$out"
        done
    }
    # "median / max" of KEY over the runs in FILE.
    median_max() {
        awk -v k="$2" '{ for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) print substr($i, length(k) + 2) }' "$1" |
            sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                printf "%.0f / %.0f", m, v[NR] }'
    }
    open_row() {
        local file=$2 k row="| $1 |"
        for k in open_ms jna_ms bindings_ms store_open_ms process_ms first_search_ms; do
            row+=" $(median_max "$file" "$k") |"
        done
        printf '%s\n' "$row"
    }
    # Three ways to start the JVM. "plain": as is. "no ldconfig": JNA told the system library
    # folders (jna.platform.library.path), so it does not run `ldconfig -p` to find them, which
    # only its Linux desktop code does (Android's JNA never does). "class archive": also an AppCDS
    # archive of the classes a first run loaded, recorded once here: classes arrive parsed and
    # verified, as an Android app's arrive compiled by ART at install.
    platform_dirs="$(ldconfig -N -X -v 2>/dev/null | sed -n 's/^\(\/[^:]*\):.*/\1/p' | paste -sd: -)"
    no_ldconfig=(-Djna.platform.library.path="${platform_dirs:-/usr/lib:/lib}")
    archive="$work/open-classes.jsa"
    rm -f "$archive"
    "${java_cmd[0]}" -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
        "${no_ldconfig[@]}" "${java_cmd[@]:1}" kg.teng.bench.OpenBenchKt "$db" >/dev/null
    class_archive=("${no_ldconfig[@]}" -XX:SharedArchiveFile="$archive" -Xlog:cds=off)

    echo
    echo "## Cold start: library load + TengStore.open of the existing 20k store, fresh JVM each run, ms"
    echo
    echo "load average before: $(load)"
    "${java_cmd[@]}" kg.teng.bench.OpenBenchKt "$db" >/dev/null # the file cache holds everything now
    open_runs_into "$work/open-warm.txt" 0
    open_runs_into "$work/open-warm-no-ldconfig.txt" 0 "${no_ldconfig[@]}"
    open_runs_into "$work/open-warm-archive.txt" 0 "${class_archive[@]}"
    can_drop=0
    if [[ "$(id -u)" == 0 ]] && { sync; echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
        can_drop=1
        open_runs_into "$work/open-dropped.txt" 1
        open_runs_into "$work/open-dropped-archive.txt" 1 "${class_archive[@]}"
    fi
    echo
    echo "Median / max. Load + open is the figure; JNA start, bindings start (loading libteng_ffi and"
    echo "registering its functions) and TengStore.open are its parts. The whole process includes the"
    echo "JVM's own start; the first search builds the search facets once per open. JVM: plain; no"
    echo "ldconfig (jna.platform.library.path set: JNA skips the \`ldconfig -p\` it runs on desktop"
    echo "Linux only); class archive (also an AppCDS archive recorded by one earlier run, the JVM's"
    echo "counterpart of the compiled code an Android app gets at install)."
    echo
    echo "| OS file cache, JVM | load + open | JNA start | bindings start | TengStore.open | whole JVM process | first search |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    open_row "warm, plain" "$work/open-warm.txt"
    open_row "warm, no ldconfig" "$work/open-warm-no-ldconfig.txt"
    open_row "warm, class archive" "$work/open-warm-archive.txt"
    if ((can_drop)); then
        open_row "dropped before each run, plain" "$work/open-dropped.txt"
        open_row "dropped before each run, class archive" "$work/open-dropped-archive.txt"
    else
        echo "| dropped before each run | not allowed here (needs root and a writable /proc/sys/vm/drop_caches) | | | | | |"
    fi
    echo
    echo "$open_runs runs each: java [options] -Djna.library.path=$lib_dir -cp <ffi-bench.jar>:\$KOTLIN_TEST_CLASSPATH kg.teng.bench.OpenBenchKt $db"
    echo "no ldconfig: ${no_ldconfig[*]}"
    echo "class archive: ${class_archive[*]} (recorded with -XX:ArchiveClassesAtExit)"
    echo "load average after: $(load)"
fi

if wants size; then
    size=$(stat -c %s "$lib")
    gz=$(gzip -9 -c "$lib" | wc -c)
    echo
    echo "## Size: $(basename "$lib"), release-ffi (LTO, codegen-units 1, opt-level s with teng-core at 3, stripped), $(uname -m)"
    echo
    echo "| file | bytes | MB | gzip -9 bytes | gzip MB |"
    echo "| --- | --- | --- | --- | --- |"
    awk -v f="$lib" -v s="$size" -v g="$gz" 'BEGIN { printf "| %s | %d | %.2f | %d | %.2f |\n", f, s, s / 1e6, g, g / 1e6 }'
fi
