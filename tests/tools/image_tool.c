/* image_tool: makes and inspects images for tests/e2e/images.test.mjs with
 * libvips (in this process, not in Facet's; nothing here is blocked).
 *
 *   image_tool make FORMAT WIDTH HEIGHT OUT [ORIENTATION]
 *       Writes a WIDTH x HEIGHT image, left half red and right half blue,
 *       with a little noise so encoders have work, as FORMAT (jpeg, png,
 *       webp, gif, tiff) to OUT. ORIENTATION (1..8, JPEG and TIFF) is
 *       stored as the EXIF orientation tag.
 *   image_tool info FILE
 *       Decodes FILE and prints one JSON line: {"format", "width",
 *       "height", "top", "bottom", "left", "right" (the RGB of a point in
 *       each half), "fields" (every metadata item libvips reports)}.
 *
 * Exits 0 on success, 1 when libvips fails, 2 on a usage error. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

static VipsImage *solid(int w, int h, double r, double g, double b)
{
    VipsImage *noise = NULL, *out = NULL;
    if (vips_gaussnoise(&noise, w, h, "mean", 0.0, "sigma", 4.0, NULL) != 0)
        return NULL;
    double c[3] = {r, g, b};
    double one[3] = {1, 1, 1};
    VipsImage *three = NULL;
    if (vips_bandjoin_const(noise, &three, (double[]){0, 0}, 2, NULL) == 0) {
        VipsImage *lin = NULL;
        /* noise in band 0 only; clamp to 0..255 with the uchar cast. */
        if (vips_linear(three, &lin, one, c, 3, NULL) == 0) {
            vips_cast(lin, &out, VIPS_FORMAT_UCHAR, NULL);
            g_object_unref(lin);
        }
        g_object_unref(three);
    }
    g_object_unref(noise);
    if (out)
        out->Type = VIPS_INTERPRETATION_sRGB;
    return out;
}

static const char *suffix_of(const char *format)
{
    static const char *const map[][2] = {
        {"jpeg", ".jpg[Q=90]"}, {"png", ".png"},  {"webp", ".webp[Q=90]"},
        {"gif", ".gif"},        {"tiff", ".tif"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(format, map[i][0]) == 0)
            return map[i][1];
    }
    return NULL;
}

static int make(const char *format, int w, int h, const char *out, int orientation)
{
    const char *suffix = suffix_of(format);
    if (!suffix || w < 2 || h < 1 || orientation < 0 || orientation > 8) {
        fprintf(stderr, "image_tool: bad make arguments\n");
        return 2;
    }
    VipsImage *red = solid(w / 2, h, 255, 0, 0), *blue = solid(w - w / 2, h, 0, 0, 255);
    VipsImage *im = NULL;
    if (red && blue)
        vips_join(red, blue, &im, VIPS_DIRECTION_HORIZONTAL, NULL);
    if (red)
        g_object_unref(red);
    if (blue)
        g_object_unref(blue);
    if (!im)
        return 1;
    if (orientation)
        vips_image_set_int(im, VIPS_META_ORIENTATION, orientation);
    void *buf = NULL;
    size_t len = 0;
    int rc = vips_image_write_to_buffer(im, suffix, &buf, &len, NULL);
    g_object_unref(im);
    if (rc != 0)
        return 1;
    FILE *f = fopen(out, "wb");
    bool ok = f && fwrite(buf, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    g_free(buf);
    return ok ? 0 : 1;
}

static void print_point(VipsImage *im, const char *name, int x, int y)
{
    double *v = NULL;
    int n = 0;
    printf(",\"%s\":[", name);
    if (vips_getpoint(im, &v, &n, x, y, NULL) == 0) {
        for (int i = 0; i < n && i < 3; i++)
            printf("%s%d", i ? "," : "", (int)(v[i] + 0.5));
    }
    g_free(v);
    printf("]");
}

static int info(const char *file)
{
    VipsImage *im = vips_image_new_from_file(file, NULL);
    if (!im)
        return 1;
    VipsImage *mem = vips_image_copy_memory(im);
    if (!mem) {
        g_object_unref(im);
        return 1;
    }
    const char *loader = NULL;
    if (vips_image_get_string(im, VIPS_META_LOADER, &loader) != 0)
        loader = "";
    int w = mem->Xsize, h = mem->Ysize;
    printf("{\"format\":\"%s\",\"width\":%d,\"height\":%d", loader, w, h);
    print_point(mem, "top", w / 2, h / 4);
    print_point(mem, "bottom", w / 2, h - 1 - h / 4);
    print_point(mem, "left", w / 4, h / 2);
    print_point(mem, "right", w - 1 - w / 4, h / 2);
    printf(",\"fields\":[");
    gchar **names = vips_image_get_fields(im);
    for (gchar **p = names; *p; p++)
        printf("%s\"%s\"", p == names ? "" : ",", *p);
    g_strfreev(names);
    printf("]}\n");
    g_object_unref(mem);
    g_object_unref(im);
    return 0;
}

int main(int argc, char **argv)
{
    if (VIPS_INIT(argv[0]) != 0)
        return 1;
    int rc = 2;
    if (argc >= 6 && argc <= 7 && strcmp(argv[1], "make") == 0)
        rc = make(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5], argc == 7 ? atoi(argv[6]) : 0);
    else if (argc == 3 && strcmp(argv[1], "info") == 0)
        rc = info(argv[2]);
    else
        fprintf(stderr, "usage: image_tool make FORMAT W H OUT [ORIENTATION] | info FILE\n");
    if (rc == 1)
        fprintf(stderr, "image_tool: %s\n", vips_error_buffer());
    vips_shutdown();
    return rc;
}
