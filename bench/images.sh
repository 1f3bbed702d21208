#!/usr/bin/env bash
# Image pipeline throughput and memory: Facet (bench/images_bench.c, libvips
# through src/media/image.c) against sharp (../shared/bench/sharp-bench.mjs),
# the same four inputs turned into the same three WebP variants, in the same
# run. See bench/README.md.
# Knobs (environment):
#   BENCH_ROUNDS       rounds over the four inputs per run (default 5, the
#                      anchor's default)
#   BENCH_REPEAT       runs of each side, alternating; the best images/s of
#                      each counts, with that run's peak RSS (default 2)
#   BENCH_CONCURRENCY  libvips worker threads per image on Facet's side
#                      (default: sharp.concurrency() as the anchor runs it)
#   BENCH_STRATEGIES   Facet strategies to run (default "one per-variant")
#   BENCH_ALT_EFFORT   also run the one-decode pipeline at this WebP effort
#                      (default 2; "none" = skip): a different encoder
#                      setting from the anchor's 4, shown apart, with its own
#                      PSNR table, never counted for the target
#   BENCH_QUALITY      1 = also print the PSNR tables (default 1)
#   BENCH_BUILD_DIR    build directory (default build-release)
#   BENCH_SKIP_BUILD   1 = use the existing $BENCH_BUILD_DIR/bench/images_bench
#   BENCH_ANCHOR_DIR   the anchors' folder (default ../shared/bench); copied to
#                      a temp dir, never written to
#   BENCH_STRICT       1 = exit 1 when the target is missed
#   BENCH_KEEP         1 = keep the temp dir after the run
# lib.sh: strict mode (set -euo pipefail), cd to the repository (ROOT), the
# helpers shared by the bench scripts.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

ROUNDS="${BENCH_ROUNDS:-5}"
REPEAT="${BENCH_REPEAT:-2}"
STRATEGIES="${BENCH_STRATEGIES:-one per-variant}"
ALT_EFFORT="${BENCH_ALT_EFFORT:-2}"
BUILD_DIR="${BENCH_BUILD_DIR:-build-release}"
ANCHOR_DIR="${BENCH_ANCHOR_DIR:-$ROOT/../shared/bench}"
TARGET_RATIO=1.5

require_tools node npm awk
[ -f "$ANCHOR_DIR/sharp-bench.mjs" ] || die "$ANCHOR_DIR/sharp-bench.mjs not found"
positive_int BENCH_ROUNDS "$ROUNDS"
positive_int BENCH_REPEAT "$REPEAT"
[[ "$ALT_EFFORT" =~ ^([0-6]|none)$ ]] || die "BENCH_ALT_EFFORT must be 0..6 or none"

make_tmp facet-images-bench

# 1. Facet, release build.
BENCH_BIN="$ROOT/$BUILD_DIR/bench/images_bench"
build_release "$BUILD_DIR" images_bench "$BENCH_BIN" -j "${JOBS:-2}"

# 2. The anchor in a temp copy, with its pinned sharp only.
log "installing sharp into a temp copy of $ANCHOR_DIR"
copy_anchor "$ANCHOR_DIR"
install_anchor_deps sharp
SHARP_INFO="$(cd "$TMP/anchor" && node --input-type=module -e \
  "import s from 'sharp'; console.log(s.versions.sharp, s.versions.vips, s.concurrency())")"
read -r SHARP_INSTALLED SHARP_VIPS SHARP_CONCURRENCY <<<"$SHARP_INFO"
CONCURRENCY="${BENCH_CONCURRENCY:-$SHARP_CONCURRENCY}"

# 3. The inputs: the anchor makes them (its first run, one round, whose
#    memory figure includes making them and is not kept).
log "sharp $SHARP_INSTALLED (libvips $SHARP_VIPS, concurrency $SHARP_CONCURRENCY): making the inputs"
(cd "$TMP/anchor" && node sharp-bench.mjs 1 >/dev/null)
INPUTS=("$TMP/anchor/inputs/a.jpg" "$TMP/anchor/inputs/b.jpg" "$TMP/anchor/inputs/c.png"
  "$TMP/anchor/inputs/d.webp")
for f in "${INPUTS[@]}"; do [ -s "$f" ] || die "the anchor did not make $f"; done

# A preload (the anchor's file is untouched) adds cpu_seconds to the
# anchor's line: the CPU time of the whole process (start-up, warm-up and
# the rounds), as images_bench reports its own.
cat >"$TMP/anchor/cpu-seconds.mjs" <<'EOF'
const log = console.log;
console.log = (...args) => {
  if (args.length === 1 && typeof args[0] === 'string' && args[0].startsWith('{')) {
    try {
      const r = JSON.parse(args[0]), c = process.cpuUsage();
      r.cpu_seconds = Math.round((c.user + c.system) / 1e4) / 100;
      args[0] = JSON.stringify(r);
    } catch {}
  }
  log(...args);
};
EOF

# 4. Alternating runs. Both sides use libuv's thread pool at its default
#    size (4; UV_THREADPOOL_SIZE applies to both) and process the four
#    inputs of a round at once.
LOAD_BEFORE="$(loadavg)"
: >"$TMP/sharp.jsonl"
for s in $STRATEGIES; do : >"$TMP/facet-$s.jsonl"; done
: >"$TMP/facet-alt.jsonl"
for ((r = 1; r <= REPEAT; r++)); do
  log "run $r/$REPEAT: sharp, $ROUNDS rounds"
  (cd "$TMP/anchor" && node --import ./cpu-seconds.mjs sharp-bench.mjs "$ROUNDS") | tee -a "$TMP/sharp.jsonl" >&2
  for s in $STRATEGIES; do
    log "run $r/$REPEAT: facet ($s), $ROUNDS rounds, libvips concurrency $CONCURRENCY"
    "$BENCH_BIN" --rounds "$ROUNDS" --concurrency "$CONCURRENCY" --strategy "$s" "${INPUTS[@]}" |
      tee -a "$TMP/facet-$s.jsonl" >&2
  done
  if [ "$ALT_EFFORT" != none ]; then
    log "run $r/$REPEAT: facet (one, WebP effort $ALT_EFFORT), $ROUNDS rounds"
    "$BENCH_BIN" --rounds "$ROUNDS" --concurrency "$CONCURRENCY" --effort "$ALT_EFFORT" \
      "${INPUTS[@]}" | tee -a "$TMP/facet-alt.jsonl" >&2
  fi
done
LOAD_AFTER="$(loadavg)"

# The best run of a file: "images_per_s peak_rss_mb cpu_seconds_per_image".
best() {
  sed -n 's/.*"images":\([0-9]*\).*"images_per_s":\([0-9.]*\).*"peak_rss_mb":\([0-9]*\).*"cpu_seconds":\([0-9.]*\).*/\2 \3 \4 \1/p' "$1" |
    awk '{ printf "%s %s %.3f\n", $1, $2, $3 / $4 }' | sort -k1,1 -g -r | head -1
}
read -r SHARP_IPS SHARP_RSS SHARP_CPU <<<"$(best "$TMP/sharp.jsonl")"
[ -n "$SHARP_IPS" ] || die "no figure from sharp"

printf '\nImages: sharp %s (libvips %s) vs Facet (libvips %s), 4 inputs x %s rounds, best of %s runs\n' \
  "$SHARP_INSTALLED" "$SHARP_VIPS" "$(pkg-config --modversion vips 2>/dev/null || echo '?')" \
  "$ROUNDS" "$REPEAT"
printf 'libuv pool: 4 threads on both sides; libvips concurrency: sharp %s, Facet %s; %s CPUs; load %s -> %s\n' \
  "$SHARP_CONCURRENCY" "$CONCURRENCY" "$(nproc)" "$LOAD_BEFORE" "$LOAD_AFTER"
FMT='%-24s %9s %7s %12s %8s %9s %9s\n'
# shellcheck disable=SC2059
printf "$FMT" side 'images/s' ratio 'peak RSS MB' 'RSS x' 'CPU s/img' 'CPU x'
# shellcheck disable=SC2059
printf "$FMT" sharp "$SHARP_IPS" 1.00x "$SHARP_RSS" 1.00x "$SHARP_CPU" 1.00x
# One table row; sets RATIO and RSS_RATIO.
row() {
  local label="$1" file="$2" ips rss cpu
  read -r ips rss cpu <<<"$(best "$file")"
  [ -n "$ips" ] || die "no figure for $label"
  RATIO="$(awk -v a="$ips" -v b="$SHARP_IPS" 'BEGIN { printf "%.2f", a / b }')"
  RSS_RATIO="$(awk -v a="$rss" -v b="$SHARP_RSS" 'BEGIN { printf "%.2f", a / b }')"
  local cpu_ratio
  cpu_ratio="$(awk -v a="$cpu" -v b="$SHARP_CPU" 'BEGIN { printf "%.2f", b / a }')"
  # shellcheck disable=SC2059
  printf "$FMT" "$label" "$ips" "${RATIO}x" "$rss" "${RSS_RATIO}x" "$cpu" "${cpu_ratio}x"
}
MET=1
for s in $STRATEGIES; do
  row "facet ($s)" "$TMP/facet-$s.jsonl"
  if [ "$s" = one ]; then
    awk -v r="$RATIO" -v t="$TARGET_RATIO" -v m="$RSS_RATIO" 'BEGIN { exit !(r >= t && m <= 1) }' ||
      MET=0
  fi
done
if [ "$ALT_EFFORT" != none ]; then
  row "facet (one, effort $ALT_EFFORT)*" "$TMP/facet-alt.jsonl"
  printf '* WebP effort %s, not the anchor'"'"'s 4: another encoder setting, not counted for the target\n' \
    "$ALT_EFFORT"
fi
printf 'CPU s/img: process CPU time (start-up and warm-up included) per image; CPU x: sharp'"'"'s over this\n'
if [ "$MET" = 1 ]; then
  printf 'target (facet one-decode >= %sx sharp images/s, peak RSS <= sharp): met\n' "$TARGET_RATIO"
else
  printf 'target (facet one-decode >= %sx sharp images/s, peak RSS <= sharp): MISSED\n' "$TARGET_RATIO"
fi

# 5. Quality: the PSNR of each side's variants against a reference (the
#    input fully decoded and resized once, not encoded). sharp's variants
#    are made the way the anchor makes them.
if [ "${BENCH_QUALITY:-1}" = 1 ]; then
  mkdir -p "$TMP/sharp-out"
  (cd "$TMP/anchor" && node --input-type=module -e "
    import sharp from 'sharp'; import fs from 'node:fs'; import path from 'node:path';
    const [out, ...files] = process.argv.slice(1);
    for (const f of files) for (const e of [160, 640, 1600])
      fs.writeFileSync(path.join(out, path.basename(f) + '.' + e + '.webp'),
        await sharp(fs.readFileSync(f)).rotate().resize(e, e, { fit: 'inside', withoutEnlargement: true })
          .webp({ quality: 80 }).toBuffer());
  " "$TMP/sharp-out" "${INPUTS[@]}")
  printf '\n'
  "$BENCH_BIN" --quality --sharp "$TMP/sharp-out" "${INPUTS[@]}"
  if [ "$ALT_EFFORT" != none ]; then
    printf '\nThe same at WebP effort %s (sharp'"'"'s column stays at effort 4):\n' "$ALT_EFFORT"
    "$BENCH_BIN" --quality --effort "$ALT_EFFORT" --sharp "$TMP/sharp-out" "${INPUTS[@]}"
  fi
fi

if [ "$MET" != 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
  exit 1
fi
