/* images_bench: Facet's side of bench/images.sh, the workload of the anchor
 * ../shared/bench/sharp-bench.mjs: each input turned into three WebP
 * variants (longest edge 160, 640, 1600; upright; never enlarged; quality
 * 80), the inputs of a round processed concurrently on libuv's thread pool,
 * ROUNDS rounds after one warm-up image. Prints one JSON line like the
 * anchor's: images, seconds, images_per_s, peak_rss_mb.
 *
 *   images_bench [--rounds N] [--concurrency N] [--strategy one|per-variant]
 *                [--effort N] FILE...
 *   images_bench --quality [--sharp DIR] [--effort N] FILE...
 *
 * Strategies: "one" (the pipeline: one decode per input, every variant cut
 * from it; a job per input) and "per-variant" (the anchor's way: one job per
 * variant, each decoding the input again with its own shrink-on-load).
 * --concurrency sets libvips' worker threads per image (sharp's
 * concurrency(); it is 1 in sharp on glibc). The pool has libuv's default of
 * 4 threads unless UV_THREADPOOL_SIZE says otherwise, as in Node. --effort
 * sets the WebP encoder's effort (default 4, sharp's).
 *
 * --quality prints, per input and variant, the PSNR of each strategy's
 * output (and of sharp's, from DIR/<input>.<edge>.webp) against a reference:
 * the input fully decoded and resized once to the variant's size with no
 * shrink-on-load, not encoded. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>
#include <vips/vips.h>

#include "core/error.h"
#include "media/image.h"

#define MAX_INPUTS 16

typedef struct input {
    const char *path;
    uint8_t *bytes;
    size_t len;
} input_t;

typedef struct job {
    uv_work_t req;
    const input_t *in;
    media_image_opts_t opts;
    int rc;
    char err[256];
} job_t;

static int64_t g_failures;

static void work(uv_work_t *req)
{
    job_t *j = req->data;
    media_image_result_t r;
    j->rc = media_image_process(j->in->bytes, j->in->len, &j->opts, &r, j->err, sizeof j->err);
    media_image_result_free(&r);
}

static void after(uv_work_t *req, int status)
{
    job_t *j = req->data;
    if (status != 0 || j->rc != FACET_OK) {
        fprintf(stderr, "images_bench: %s: %s\n", j->in->path, j->err);
        g_failures++;
    }
}

/* One round: every input at once on the pool, as Promise.all does in the
 * anchor; per-variant queues one job per variant. */
static void round_once(uv_loop_t *loop, const input_t *in, int n, const media_image_opts_t *base,
                       bool per_variant, job_t *jobs)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        for (int v = 0; v < (per_variant ? MEDIA_IMAGE_NVARIANTS : 1); v++) {
            job_t *j = &jobs[k++];
            *j = (job_t){.in = &in[i], .opts = *base};
            if (per_variant)
                for (int u = 0; u < MEDIA_IMAGE_NVARIANTS; u++)
                    j->opts.edge[u] = u == v ? base->edge[u] : 0;
            j->req.data = j;
            uv_queue_work(loop, &j->req, work, after);
        }
    }
    uv_run(loop, UV_RUN_DEFAULT);
}

static double now_s(void)
{
    return uv_hrtime() / 1e9;
}

static int bench(input_t *in, int n, int rounds, bool per_variant, const media_image_opts_t *o)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    job_t jobs[MAX_INPUTS * MEDIA_IMAGE_NVARIANTS];
    round_once(&loop, in, 1, o, per_variant, jobs); /* warm-up: the first input */
    double t0 = now_s();
    for (int r = 0; r < rounds; r++)
        round_once(&loop, in, n, o, per_variant, jobs);
    double s = now_s() - t0;
    uv_loop_close(&loop);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu =
        ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    printf("{\"images\":%d,\"seconds\":%.2f,\"images_per_s\":%.2f,\"peak_rss_mb\":%ld,"
           "\"cpu_seconds\":%.2f,\"strategy\":\"%s\",\"vips_concurrency\":%d,\"effort\":%d}\n",
           n * rounds, s, n * rounds / s, (ru.ru_maxrss + 512) / 1024, cpu,
           per_variant ? "per-variant" : "one", o->concurrency, o->effort < 0 ? 4 : o->effort);
    return g_failures ? 1 : 0;
}

/* ---- --quality ---- */

/* The input decoded in full (no shrink-on-load), upright, sRGB, resized once
 * with Lanczos 3 to w x h. */
static VipsImage *reference(const input_t *in, int w, int h)
{
    VipsImage *scope = vips_image_new();
    VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(scope), 4);
    VipsImage *out = NULL;
    if (!(t[0] = vips_image_new_from_buffer(in->bytes, in->len, "", NULL)) ||
        vips_autorot(t[0], &t[1], NULL) ||
        vips_colourspace(t[1], &t[2], VIPS_INTERPRETATION_sRGB, NULL) ||
        vips_resize(t[2], &t[3], (double)w / t[2]->Xsize, "vscale", (double)h / t[2]->Ysize,
                    NULL) ||
        !(out = vips_image_copy_memory(t[3])))
        fprintf(stderr, "images_bench: reference: %s\n", vips_error_buffer());
    g_object_unref(scope);
    return out;
}

static double psnr(VipsImage *a, VipsImage *b)
{
    VipsImage *d = NULL, *sq = NULL;
    double mse = -1;
    if (vips_subtract(a, b, &d, NULL) == 0 && vips_multiply(d, d, &sq, NULL) == 0)
        vips_avg(sq, &mse, NULL);
    if (d)
        g_object_unref(d);
    if (sq)
        g_object_unref(sq);
    return mse <= 0 ? 99.0 : 10 * log10(255.0 * 255.0 / mse);
}

/* PSNR of an encoded WebP against the reference at its size; -1 when it
 * cannot be read. */
static double score(const input_t *in, const void *webp, size_t len)
{
    VipsImage *out;
    if (vips_webpload_buffer((void *)webp, len, &out, NULL) != 0)
        return -1;
    VipsImage *ref = reference(in, out->Xsize, out->Ysize);
    double p = ref ? psnr(out, ref) : -1;
    if (ref)
        g_object_unref(ref);
    g_object_unref(out);
    return p;
}

static int quality(input_t *in, int n, const media_image_opts_t *o, const char *sharp_dir)
{
    printf("%-8s %5s %14s %14s %14s   (PSNR dB against a full-decode resize; bytes)\n", "input",
           "edge", "one decode", "per variant", "sharp");
    for (int i = 0; i < n; i++) {
        media_image_result_t one;
        char err[256];
        if (media_image_process(in[i].bytes, in[i].len, o, &one, err, sizeof err) != FACET_OK) {
            fprintf(stderr, "images_bench: %s: %s\n", in[i].path, err);
            return 1;
        }
        for (int v = 0; v < MEDIA_IMAGE_NVARIANTS; v++) {
            media_image_opts_t single = *o;
            for (int u = 0; u < MEDIA_IMAGE_NVARIANTS; u++)
                single.edge[u] = u == v ? o->edge[u] : 0;
            media_image_result_t pv;
            if (media_image_process(in[i].bytes, in[i].len, &single, &pv, err, sizeof err)) {
                fprintf(stderr, "images_bench: %s: %s\n", in[i].path, err);
                return 1;
            }
            const char *base = strrchr(in[i].path, '/') ? strrchr(in[i].path, '/') + 1 : in[i].path;
            char sp[4096], sharp_col[64] = "-";
            gchar *sb = NULL;
            gsize sl = 0;
            snprintf(sp, sizeof sp, "%s/%s.%d.webp", sharp_dir ? sharp_dir : ".", base, o->edge[v]);
            if (sharp_dir && g_file_get_contents(sp, &sb, &sl, NULL))
                snprintf(sharp_col, sizeof sharp_col, "%.2f %7zu", score(&in[i], sb, sl),
                         (size_t)sl);
            g_free(sb);
            printf("%-8s %5d %6.2f %7zu %6.2f %7zu %14s\n", base, o->edge[v],
                   score(&in[i], one.variant[v].data, one.variant[v].len), one.variant[v].len,
                   score(&in[i], pv.variant[v].data, pv.variant[v].len), pv.variant[v].len,
                   sharp_col);
            media_image_result_free(&pv);
        }
        media_image_result_free(&one);
    }
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: images_bench [--rounds N] [--concurrency N] "
                    "[--strategy one|per-variant] [--effort N] FILE...\n"
                    "       images_bench --quality [--sharp DIR] [--effort N] FILE...\n");
    return 2;
}

int main(int argc, char **argv)
{
    int rounds = 5, n = 0;
    bool per_variant = false, want_quality = false;
    const char *sharp_dir = NULL;
    input_t in[MAX_INPUTS];
    media_image_opts_t o;
    media_image_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--concurrency") == 0 && i + 1 < argc)
            o.concurrency = atoi(argv[++i]);
        else if (strcmp(argv[i], "--strategy") == 0 && i + 1 < argc)
            per_variant = strcmp(argv[++i], "per-variant") == 0;
        else if (strcmp(argv[i], "--effort") == 0 && i + 1 < argc)
            o.effort = atoi(argv[++i]);
        else if (strcmp(argv[i], "--quality") == 0)
            want_quality = true;
        else if (strcmp(argv[i], "--sharp") == 0 && i + 1 < argc)
            sharp_dir = argv[++i];
        else if (argv[i][0] == '-' || n == MAX_INPUTS)
            return usage();
        else
            in[n++] = (input_t){.path = argv[i]};
    }
    if (n == 0 || rounds < 1)
        return usage();
    char err[256];
    if (media_image_opts_check(&o, err, sizeof err) != FACET_OK ||
        media_image_init(&o, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "images_bench: %s\n", err);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        gchar *b;
        gsize l;
        if (!g_file_get_contents(in[i].path, &b, &l, NULL)) {
            fprintf(stderr, "images_bench: cannot read %s\n", in[i].path);
            return 1;
        }
        in[i].bytes = (uint8_t *)b;
        in[i].len = l;
    }
    int rc = want_quality ? quality(in, n, &o, sharp_dir) : bench(in, n, rounds, per_variant, &o);
    for (int i = 0; i < n; i++)
        g_free(in[i].bytes);
    return rc;
}
