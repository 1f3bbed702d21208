// Images end to end (issue 7): uploadImage from base64 and from URLs on a
// local HTTP server, the SSRF policy refusing every forbidden address in
// every notation, hostile and broken inputs, EXIF orientation and metadata
// stripping checked on the served bytes, /media/ caching and ranges,
// deleteImage, the s3 provider against s3rver, moderation through a local
// Rekognition stand-in (SigV4 checked) and through the webhook provider,
// and avatars batched into one image query.
//
// Test images come from tests/tools/image_tool (libvips, built next to the
// unit tests of FACET_BIN's build); metadata is added here byte by byte, and
// outputs are read back both by parsing their headers here and by
// image_tool's decoder.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { FACET_BIN, freePort, runFacet, scratchDir, useFacetCleanup } from './lib/facet.mjs';
import { codeOf, gql, productEnv, signUp, startProduct } from './lib/product.mjs';
import { startS3, useServices } from './lib/services.mjs';

const TOOL = path.join(path.dirname(FACET_BIN), 'tests', 'image_tool');
const missing = fs.existsSync(TOOL) ? false : `${TOOL} is not built (target image_tool)`;
const IMMUTABLE = 'public, max-age=31536000, immutable';

useFacetCleanup();
const services = useServices();

// ---- images --------------------------------------------------------------

let fileCounter = 0;
function tempFile(ext) {
  return path.join(scratchDir(), `img-${process.pid}-${fileCounter++}.${ext}`);
}

/** A w x h image, left half red and right half blue, from image_tool. */
function makeImage(format, w, h, orientation) {
  const file = tempFile(format);
  const args = ['make', format, String(w), String(h), file];
  if (orientation) args.push(String(orientation));
  execFileSync(TOOL, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return fs.readFileSync(file);
}

/** image_tool's reading of bytes: format, size, colours, metadata fields. */
function imageInfo(bytes, ext = 'webp') {
  const file = tempFile(ext);
  fs.writeFileSync(file, bytes);
  return JSON.parse(execFileSync(TOOL, ['info', file], { encoding: 'utf8' }));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A PNG of w x h grey pixels, all zero: tiny on disk, w*h bytes decoded. */
function bombPng(w, h) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((w + 1) * h); // filter byte 0 and zero pixels on every row
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Inserts text chunks (XMP in iTXt, a tEXt comment, eXIf) before a PNG's IEND. */
function pngWithMetadata(png) {
  const iend = png.length - 12;
  const xmp = Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0'), Buffer.from(XMP_PACKET)]);
  const exif = exifBlock([[0x010e, 'secret camera note']]);
  return Buffer.concat([png.subarray(0, iend), pngChunk('tEXt', Buffer.from('Comment\0GPS 48.85,2.35')),
    pngChunk('iTXt', xmp), pngChunk('eXIf', exif.subarray(6)), png.subarray(iend)]);
}

const XMP_PACKET = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.4N" exif:GPSLongitude="2,21.1E"/>' +
  '</rdf:RDF></x:xmpmeta>';

/** "Exif\0\0" + a big-endian TIFF with one IFD of ASCII entries. */
function exifBlock(entries) {
  const count = entries.length;
  const ifdSize = 2 + count * 12 + 4;
  let dataOffset = 8 + ifdSize;
  const ifd = Buffer.alloc(ifdSize);
  ifd.writeUInt16BE(count, 0);
  const data = [];
  entries.forEach(([tag, text], i) => {
    const value = Buffer.from(`${text}\0`, 'latin1');
    const at = 2 + i * 12;
    ifd.writeUInt16BE(tag, at);
    ifd.writeUInt16BE(2, at + 2); // ASCII
    ifd.writeUInt32BE(value.length, at + 4);
    ifd.writeUInt32BE(dataOffset, at + 8);
    data.push(value);
    dataOffset += value.length;
  });
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from('4d4d002a00000008', 'hex'), ifd, ...data]);
}

/** A JPEG with an XMP packet (APP1), Photoshop/IPTC data (APP13) and a comment added after SOI. */
function jpegWithMetadata(jpeg) {
  const segment = (marker, data) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(data.length + 2, 2);
    return Buffer.concat([head, data]);
  };
  return Buffer.concat([
    jpeg.subarray(0, 2),
    segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0'), Buffer.from(XMP_PACKET)])),
    segment(0xed, Buffer.from('Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x0c\x1c\x02\x50\0\x08Reporter', 'latin1')),
    segment(0xfe, Buffer.from('GPS 48.85,2.35 taken by a secret camera')),
    jpeg.subarray(2),
  ]);
}

/** The RIFF chunks of a WebP file and its canvas size, read here. */
function webpInfo(buf) {
  assert.equal(buf.toString('ascii', 0, 4), 'RIFF');
  assert.equal(buf.toString('ascii', 8, 12), 'WEBP');
  const chunks = [];
  for (let off = 12; off + 8 <= buf.length;) {
    const size = buf.readUInt32LE(off + 4);
    chunks.push(buf.toString('ascii', off, off + 4));
    off += 8 + size + (size & 1);
  }
  let width;
  let height;
  const first = chunks[0];
  if (first === 'VP8 ') {
    width = buf.readUInt16LE(26) & 0x3fff;
    height = buf.readUInt16LE(28) & 0x3fff;
  } else if (first === 'VP8L') {
    const bits = buf.readUInt32LE(21);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (first === 'VP8X') {
    width = buf.readUIntLE(24, 3) + 1;
    height = buf.readUIntLE(27, 3) + 1;
    assert.equal(buf[20] & 0x2c, 0, 'VP8X flags: no ICC, EXIF or XMP');
  }
  return { chunks, width, height };
}

/** No trace of the metadata put into the inputs. */
function assertNoMetadata(bytes, what) {
  for (const marker of ['Exif', 'EXIF', 'XMP ', '<x:xmpmeta', 'xmpmeta', 'GPS', 'Photoshop', '8BIM', 'secret camera', 'ICCP']) {
    assert.equal(bytes.indexOf(Buffer.from(marker, 'latin1')), -1, `${what} holds "${marker}"`);
  }
  const info = imageInfo(bytes);
  const meta = info.fields.filter((f) => /^(exif|xmp|iptc|icc)|gps|orientation/i.test(f));
  assert.deepEqual(meta, [], `${what}: libvips still reads metadata`);
}

// ---- the product ---------------------------------------------------------

const IMAGE_FIELDS = `id width height format bytes url thumb: url(variant: THUMB) large: url(variant: LARGE)
  variants { variant url width height bytes } moderation { status labels { name parentName confidence } }
  owner { id username } createdAt`;
const UPLOAD = `mutation($i: UploadImageInput!) { uploadImage(input: $i) { ${IMAGE_FIELDS} } }`;

/** A product instance with its own data directory (the fs provider's root). */
async function startImages(env = {}) {
  const dataDir = fs.mkdtempSync(path.join(scratchDir(), 'data-'));
  const f = await startProduct(services, { env: { FACET_DATA_DIR: dataDir, FACET_MAX_BODY_SIZE: '16MiB', ...env } });
  f.dataDir = dataDir;
  return f;
}

/** Runs `facet serve` with settings that must stop it at start-up; resolves its stderr. */
async function refusedAtStart(env) {
  const r = await runFacet(['serve'], {
    env: productEnv(services, { FACET_HOST: '127.0.0.1', FACET_PORT: String(await freePort()), FACET_DATA_DIR: fs.mkdtempSync(path.join(scratchDir(), 'data-')), ...env }),
  });
  assert.notEqual(r.code, 0, `facet started with ${JSON.stringify(env)}`);
  return r.stderr;
}

const upload = (f, token, input) => gql(f.port, UPLOAD, { i: input }, { token });
const uploadBytes = (f, token, bytes) => upload(f, token, { base64: bytes.toString('base64') });

/** Every file under <data dir>/media/images, relative. */
function storedFiles(f) {
  const root = path.join(f.dataDir, 'media', 'images');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true }).filter((p) => fs.statSync(path.join(root, p)).isFile()).sort();
}

async function media(f, url, headers = {}) {
  const res = await fetch(new URL(url, `http://127.0.0.1:${f.port}`), { headers });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

function assertBadInput(res, pattern, what) {
  assert.equal(codeOf(res), 'BAD_USER_INPUT', `${what}: ${JSON.stringify(res)}`);
  assert.equal(res.data, null, what);
  if (pattern) assert.match(res.errors[0].message, pattern, what);
}

// ---- tests ---------------------------------------------------------------

describe('images', { skip: missing }, () => {
  test('base64 upload: variants, /media/ with caching and ranges, image(id), deleteImage', { timeout: 90000 }, async () => {
    const f = await startImages();
    const u = await signUp(f.port, 'ivy');
    assert.equal(codeOf(await uploadBytes(f, null, makeImage('png', 20, 20))), 'UNAUTHENTICATED');

    const jpeg = makeImage('jpeg', 2000, 1000);
    const res = await uploadBytes(f, u.token, jpeg);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const img = res.data.uploadImage;
    assert.match(img.id, /^[0-9a-f]{24}$/);
    assert.deepEqual({ width: img.width, height: img.height, format: img.format, bytes: img.bytes },
      { width: 2000, height: 1000, format: 'jpeg', bytes: jpeg.length });
    assert.deepEqual(img.variants.map((v) => [v.variant, v.url, v.width, v.height]), [
      ['THUMB', `/media/images/${img.id}/thumb.webp`, 160, 80],
      ['MEDIUM', `/media/images/${img.id}/medium.webp`, 640, 320],
      ['LARGE', `/media/images/${img.id}/large.webp`, 1600, 800],
    ]);
    assert.equal(img.url, img.variants[1].url, 'url defaults to MEDIUM');
    assert.equal(img.thumb, img.variants[0].url);
    assert.equal(img.large, img.variants[2].url);
    assert.deepEqual(img.moderation, { status: 'APPROVED', labels: [] });
    assert.deepEqual(img.owner, { id: u.user.id, username: u.user.username });
    assert.ok(Math.abs(Date.parse(img.createdAt) - Date.now()) < 60000);
    assert.deepEqual(storedFiles(f), [`${img.id}/large.webp`, `${img.id}/medium.webp`, `${img.id}/thumb.webp`]);

    // Served at /media/: the stored bytes, immutable caching, a strong ETag, ranges.
    for (const v of img.variants) {
      const { res: r, body } = await media(f, v.url);
      assert.equal(r.status, 200, v.url);
      assert.equal(r.headers.get('content-type'), 'image/webp');
      assert.equal(r.headers.get('cache-control'), IMMUTABLE);
      assert.equal(body.length, v.bytes);
      assert.deepEqual(body, fs.readFileSync(path.join(f.dataDir, 'media', v.url.slice('/media/'.length))));
      const w = webpInfo(body);
      assert.deepEqual([w.width, w.height], [v.width, v.height], `${v.variant} header`);
    }
    const { res: first } = await media(f, img.url);
    const etag = first.headers.get('etag');
    assert.match(etag, /^"[^"]+"$/);
    assert.equal((await media(f, img.url, { 'if-none-match': etag })).res.status, 304);
    const whole = (await media(f, img.url)).body;
    const part = await media(f, img.url, { range: 'bytes=10-109' });
    assert.equal(part.res.status, 206);
    assert.equal(part.res.headers.get('content-range'), `bytes 10-109/${whole.length}`);
    assert.deepEqual(part.body, whole.subarray(10, 110));
    const tail = await media(f, img.url, { range: 'bytes=-16' });
    assert.deepEqual(tail.body, whole.subarray(whole.length - 16));
    assert.equal((await media(f, img.url, { range: `bytes=${whole.length + 10}-` })).res.status, 416);

    // image(id) is public; unknown and malformed ids are null.
    const q = 'query($id: ID!) { image(id: $id) { id url(variant: THUMB) moderation { status } owner { id } } }';
    const pub = await gql(f.port, q, { id: img.id });
    assert.deepEqual(pub.data.image, { id: img.id, url: img.thumb, moderation: { status: 'APPROVED' }, owner: { id: u.user.id } });
    assert.deepEqual((await gql(f.port, q, { id: '000000000000000000000000' })).data, { image: null });
    assert.deepEqual((await gql(f.port, q, { id: 'nope' })).data, { image: null });

    // deleteImage: the owner only; the files and the document go.
    const del = 'mutation($id: ID!) { deleteImage(id: $id) }';
    const other = await signUp(f.port, 'jack');
    assert.equal(codeOf(await gql(f.port, del, { id: img.id })), 'UNAUTHENTICATED');
    assert.equal(codeOf(await gql(f.port, del, { id: img.id }, { token: other.token })), 'FORBIDDEN');
    assert.equal(storedFiles(f).length, 3);
    assert.deepEqual((await gql(f.port, del, { id: img.id }, { token: u.token })).data, { deleteImage: true });
    assert.deepEqual(storedFiles(f), []);
    assert.equal((await media(f, img.url)).res.status, 404);
    assert.deepEqual((await gql(f.port, q, { id: img.id })).data, { image: null });
    assert.deepEqual((await gql(f.port, del, { id: img.id }, { token: u.token })).data, { deleteImage: false });
    assert.deepEqual((await gql(f.port, del, { id: 'x' }, { token: u.token })).data, { deleteImage: false });

    // Other input formats, and a data: URL whose declared type is ignored.
    for (const format of ['png', 'webp', 'gif', 'tiff']) {
      const r = await upload(f, u.token, { base64: `data:image/jpeg;base64,${makeImage(format, 300, 200).toString('base64')}` });
      assert.equal(r.errors, undefined, `${format}: ${JSON.stringify(r.errors)}`);
      assert.equal(r.data.uploadImage.format, format);
      assert.deepEqual(r.data.uploadImage.variants.map((v) => [v.width, v.height]), [[160, 107], [300, 200], [300, 200]],
        `${format}: never upscaled`);
    }
  });

  test('an EXIF-rotated JPEG comes out upright; no metadata survives', { timeout: 60000 }, async () => {
    const f = await startImages();
    const u = await signUp(f.port, 'kim');
    // Stored 300 x 200, red left and blue right, EXIF orientation 6 (rotate
    // 90 degrees clockwise): upright it is 200 x 300, red on top.
    const rotated = jpegWithMetadata(makeImage('jpeg', 300, 200, 6));
    const before = imageInfo(rotated, 'jpg');
    assert.ok(before.fields.includes('exif-data') && before.fields.includes('xmp-data'), 'the input carries EXIF and XMP');
    const res = await uploadBytes(f, u.token, rotated);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const img = res.data.uploadImage;
    assert.deepEqual([img.width, img.height], [200, 300]);
    assert.deepEqual(img.variants.map((v) => [v.variant, v.width, v.height]),
      [['THUMB', 107, 160], ['MEDIUM', 200, 300], ['LARGE', 200, 300]]);
    for (const v of img.variants) {
      const { body } = await media(f, v.url);
      assertNoMetadata(body, `${v.variant} of the rotated JPEG`);
      const info = imageInfo(body);
      assert.deepEqual([info.width, info.height], [v.width, v.height]);
      assert.ok(info.top[0] > 180 && info.top[2] < 80, `${v.variant}: red on top, got ${info.top}`);
      assert.ok(info.bottom[2] > 180 && info.bottom[0] < 80, `${v.variant}: blue below, got ${info.bottom}`);
    }

    const png = pngWithMetadata(makeImage('png', 400, 300));
    assert.ok(png.indexOf('xmpmeta') > 0);
    const pres = await uploadBytes(f, u.token, png);
    assert.equal(pres.errors, undefined, JSON.stringify(pres.errors));
    for (const v of pres.data.uploadImage.variants) assertNoMetadata((await media(f, v.url)).body, `${v.variant} of the PNG`);
  });

  test('hostile and broken inputs: bomb, truncated, corrupt, SVG, PDF, sizes', { timeout: 90000 }, async () => {
    const f = await startImages({ FACET_IMAGE_MAX_BYTES: '200KiB' });
    const u = await signUp(f.port, 'lee');
    // 10000 x 10000 = 100 megapixels in about 100 KB: refused from the header, at once.
    const bomb = bombPng(10000, 10000);
    assert.ok(bomb.length < 200 * 1024, `bomb is ${bomb.length} bytes`);
    const t0 = Date.now();
    assertBadInput(await uploadBytes(f, u.token, bomb), /10000x10000.*megapixels/, 'decompression bomb');
    assert.ok(Date.now() - t0 < 5000, 'refused before decoding');
    // A pixel limit from config.
    const small = await startImages({ FACET_IMAGE_MAX_PIXELS: '10000' });
    const su = await signUp(small.port, 'lee2');
    assertBadInput(await uploadBytes(small, su.token, makeImage('png', 200, 100)), /megapixels/, 'FACET_IMAGE_MAX_PIXELS');

    const jpeg = makeImage('jpeg', 800, 600);
    assertBadInput(await uploadBytes(f, u.token, jpeg.subarray(0, Math.floor(jpeg.length / 2))), /corrupt or truncated/, 'truncated JPEG');
    const png = makeImage('png', 800, 600);
    assertBadInput(await uploadBytes(f, u.token, png.subarray(0, Math.floor(png.length * 0.6))), null, 'truncated PNG');
    // Corrupt: the header intact, the entropy-coded data replaced by noise.
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const noise = crypto.randomBytes(jpeg.length - sos - 60).map((b) => (b === 0xff ? 0 : b));
    const corrupt = Buffer.concat([jpeg.subarray(0, sos + 20), noise, Buffer.from([0xff, 0xd9])]);
    assertBadInput(await uploadBytes(f, u.token, corrupt), /corrupt or truncated/, 'corrupt JPEG');
    assertBadInput(await uploadBytes(f, u.token, Buffer.concat([Buffer.from('junk'), crypto.randomBytes(5000)])), /unrecognised image format/, 'random bytes');

    const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    assertBadInput(await uploadBytes(f, u.token, svg), /SVG/, 'SVG');
    assertBadInput(await upload(f, u.token, { base64: `data:image/png;base64,${svg.toString('base64')}` }), /SVG/, 'SVG claiming to be PNG');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    assertBadInput(await uploadBytes(f, u.token, pdf), /PDF/, 'PDF');

    assertBadInput(await uploadBytes(f, u.token, crypto.randomBytes(210 * 1024)), /larger than 204800 bytes/, 'FACET_IMAGE_MAX_BYTES');
    assertBadInput(await upload(f, u.token, { base64: 'iVBORw0KGgo=\n' }), /base64/, 'invalid base64');
    assertBadInput(await upload(f, u.token, { base64: '' }), /empty/, 'empty');
    const both = await upload(f, u.token, { base64: 'AAAA', url: 'http://example.com/a.png' });
    assert.equal(codeOf(both), 'BAD_USER_INPUT', JSON.stringify(both));
    assert.deepEqual(storedFiles(f), [], 'nothing was stored');
    assert.ok(f.running && small.running);
  });

  describe('URL ingest', () => {
    let server;
    let port;
    const hits = [];
    const png = () => makeImage('png', 320, 240);
    before(async () => {
      server = http.createServer((req, res) => {
        hits.push(req.url);
        const to = (location) => {
          res.writeHead(302, { location });
          res.end();
        };
        if (req.url === '/image') {
          // A misleading type: the format is read from the bytes.
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(png());
        } else if (req.url === '/redirect-ok') to(`http://127.0.0.1:${port}/image`);
        else if (req.url === '/redirect-loopback') to(`http://127.0.0.2:${port}/image`);
        else if (req.url === '/redirect-metadata') to('http://169.254.169.254/latest/meta-data/');
        else if (req.url === '/redirect-localhost') to(`http://localhost:${port}/image`);
        else if (req.url === '/redirect-file') to('file:///etc/passwd');
        else if (req.url.startsWith('/loop')) to(`/loop${Number(req.url.slice(5) || 0) + 1}`);
        else if (req.url === '/big') {
          res.writeHead(200, { 'content-type': 'image/png' });
          res.end(Buffer.concat([png(), crypto.randomBytes(300 * 1024)]));
        } else if (req.url === '/slow') {
          res.writeHead(200, { 'content-type': 'image/png' });
          res.write(png().subarray(0, 10)); // and never the rest
        } else if (req.url === '/svg') {
          res.writeHead(200, { 'content-type': 'image/png' });
          res.end('<svg xmlns="http://www.w3.org/2000/svg"/>');
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      port = server.address().port;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });

    test('an allowed test address: uploads, redirects within the policy, limits', { timeout: 90000 }, async () => {
      const f = await startImages({ FACET_FETCH_ALLOW: '127.0.0.1/32', FACET_FETCH_TIMEOUT: '2s', FACET_FETCH_MAX_BYTES: '256KiB', FACET_FETCH_MAX_REDIRECTS: '2' });
      const u = await signUp(f.port, 'max');
      const ok = await upload(f, u.token, { url: `http://127.0.0.1:${port}/image` });
      assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
      assert.equal(ok.data.uploadImage.format, 'png');
      assert.deepEqual([ok.data.uploadImage.width, ok.data.uploadImage.height], [320, 240]);
      const redirected = await upload(f, u.token, { url: `http://127.0.0.1:${port}/redirect-ok` });
      assert.equal(redirected.errors, undefined, JSON.stringify(redirected.errors));

      const refused = async (url, pattern, what) => {
        const seen = hits.length;
        assertBadInput(await upload(f, u.token, { url }), pattern, what);
        return hits.slice(seen);
      };
      // Redirects from the allowed address to forbidden ones: the first hop only.
      assert.deepEqual(await refused(`http://127.0.0.1:${port}/redirect-loopback`, /forbidden/, 'redirect to 127.0.0.2'), ['/redirect-loopback']);
      await refused(`http://127.0.0.1:${port}/redirect-metadata`, /forbidden/, 'redirect to the metadata address');
      await refused(`http://127.0.0.1:${port}/redirect-file`, /scheme|not allowed/i, 'redirect to file:');
      await refused(`http://127.0.0.1:${port}/loop0`, /redirects/, 'too many redirects');
      await refused(`http://127.0.0.2:${port}/image`, /forbidden/, 'another loopback address');
      await refused(`http://127.0.0.1:${port}/big`, /larger/, 'FACET_FETCH_MAX_BYTES');
      await refused(`http://127.0.0.1:${port}/slow`, /timed out/, 'FACET_FETCH_TIMEOUT');
      await refused(`http://127.0.0.1:${port}/missing`, /HTTP status 404/, '404');
      await refused(`http://127.0.0.1:${port}/svg`, /SVG/, 'SVG served as image/png');
      await refused(`ftp://127.0.0.1:${port}/image`, /scheme|http/i, 'ftp');
      await refused('file:///etc/passwd', /scheme|http/i, 'file');
      await refused('not a url', /url/i, 'not a URL');
      assert.equal(storedFiles(f).length, 6, 'two uploads, three variants each');
    });

    test('without an allow-list every private address is refused, in every notation', { timeout: 90000 }, async () => {
      const f = await startImages({ FACET_FETCH_TIMEOUT: '2s' });
      const u = await signUp(f.port, 'ned');
      const seen = hits.length;
      const urls = [
        `http://127.0.0.1:${port}/image`,
        `http://127.1:${port}/image`, // short form
        `http://2130706433:${port}/image`, // decimal
        `http://0x7f000001:${port}/image`, // hex
        `http://0x7f.0.0.1:${port}/image`,
        `http://0177.0.0.1:${port}/image`, // octal
        `http://017700000001:${port}/image`,
        `http://127.0.0.1.:${port}/image`, // trailing dot
        `http://[::1]:${port}/image`,
        `http://[::ffff:127.0.0.1]:${port}/image`, // IPv4-mapped
        `http://[::ffff:7f00:1]:${port}/image`,
        `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}/image`,
        `http://[::127.0.0.1]:${port}/image`, // IPv4-compatible
        `http://[64:ff9b::127.0.0.1]:${port}/image`, // NAT64
        `http://[2002:7f00:1::]:${port}/image`, // 6to4
        `http://localhost:${port}/image`, // a name resolving to loopback
        `http://LOCALHOST.:${port}/image`,
        `http://0.0.0.0:${port}/image`,
        `http://0:${port}/image`,
        `http://[::]:${port}/image`,
        'http://169.254.169.254/latest/meta-data/',
        'http://[fd00:ec2::254]/latest/meta-data/',
        'http://10.0.0.1/a.png',
        'http://172.16.0.1/a.png',
        'http://192.168.1.1/a.png',
        'http://100.64.0.1/a.png',
        'http://[fe80::1%25eth0]/a.png',
        'http://224.0.0.1/a.png',
        `http://user:pass@127.0.0.1:${port}/image`,
      ];
      for (const url of urls) {
        const res = await upload(f, u.token, { url });
        assertBadInput(res, /forbidden|not a valid|not allowed|host/i, url);
      }
      assert.deepEqual(hits.slice(seen), [], 'no request reached the test server');
      assert.deepEqual(storedFiles(f), []);
    });
  });

  describe('s3 provider against s3rver', () => {
    let s3;
    before(async () => {
      s3 = await startS3();
    });
    after(async () => {
      await s3?.stop();
    });

    test('variants stored in the bucket with Content-Type and Cache-Control; deleteImage removes them', { timeout: 90000 }, async () => {
      const f = await startImages({
        FACET_STORAGE: 's3',
        FACET_S3_BUCKET: s3.bucket,
        FACET_S3_ENDPOINT: s3.endpoint,
        FACET_S3_PATH_STYLE: 'true',
        FACET_S3_REGION: s3.region,
        FACET_MEDIA_BASE_URL: 'https://d111111abcdef8.cloudfront.net',
        AWS_ACCESS_KEY_ID: s3.accessKey,
        AWS_SECRET_ACCESS_KEY: s3.secret,
      });
      const u = await signUp(f.port, 'olga');
      const res = await uploadBytes(f, u.token, makeImage('jpeg', 1200, 900));
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      const img = res.data.uploadImage;
      assert.equal(img.url, `https://d111111abcdef8.cloudfront.net/images/${img.id}/medium.webp`);
      for (const v of img.variants) {
        const key = `images/${img.id}/${v.variant.toLowerCase()}.webp`;
        assert.equal(v.url, `https://d111111abcdef8.cloudfront.net/${key}`);
        const r = await fetch(`${s3.endpoint}/${s3.bucket}/${key}`);
        assert.equal(r.status, 200, key);
        assert.equal(r.headers.get('content-type'), 'image/webp');
        assert.equal(r.headers.get('cache-control'), IMMUTABLE);
        const body = Buffer.from(await r.arrayBuffer());
        assert.equal(body.length, v.bytes);
        assert.deepEqual(Object.values(webpInfo(body)).slice(1), [v.width, v.height]);
      }
      assert.deepEqual(storedFiles(f), [], 'nothing on the local disk');
      const del = await gql(f.port, 'mutation($id: ID!) { deleteImage(id: $id) }', { id: img.id }, { token: u.token });
      assert.deepEqual(del.data, { deleteImage: true });
      for (const v of img.variants) {
        const r = await fetch(`${s3.endpoint}/${s3.bucket}/images/${img.id}/${v.variant.toLowerCase()}.webp`);
        assert.equal(r.status, 404);
      }
    });

    test('without credentials, s3 storage stops start-up naming what is missing', { timeout: 30000 }, async () => {
      const stderr = await refusedAtStart({ FACET_STORAGE: 's3', FACET_S3_BUCKET: s3.bucket, FACET_S3_ENDPOINT: s3.endpoint, FACET_S3_PATH_STYLE: 'true' });
      assert.match(stderr, /FACET_STORAGE=s3 needs AWS credentials: set AWS_ACCESS_KEY_ID/);
    });
  });

  describe('moderation', () => {
    const KEY = { id: 'AKIDMODERATION', secret: 'moderation/secret+key' };
    const REGION = 'eu-west-3';
    const SECRET = 'whsec_images_e2e';
    let reply; // (req, body, res) => void
    const seen = [];
    let port;
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ req, body });
        reply(req, body, res);
      });
    });
    before(async () => {
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      port = server.address().port;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });
    const answer = (res, status, obj) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(obj));
    };
    const L = (Name, ParentName, Confidence) => ({ Name, ParentName, Confidence });

    /** The image the provider was sent: a JPEG under 5 MB. */
    const checkImage = (b64) => {
      const bytes = Buffer.from(b64, 'base64');
      assert.ok(bytes.length > 100 && bytes.length < 5 * 1024 * 1024, `rendition of ${bytes.length} bytes`);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG rendition');
      assertNoMetadata(bytes, 'the moderation rendition');
    };

    test('rekognition: SigV4-signed DetectModerationLabels; APPROVED, REVIEW, REJECTED, and a failing provider', { timeout: 120000 }, async () => {
      const env = {
        FACET_MODERATION: 'rekognition',
        FACET_REKOGNITION_ENDPOINT: `http://127.0.0.1:${port}`,
        FACET_REKOGNITION_REGION: REGION,
        FACET_MODERATION_TIMEOUT: '1s',
        FACET_MODERATION_MIN_CONFIDENCE: '60',
        AWS_ACCESS_KEY_ID: KEY.id,
        AWS_SECRET_ACCESS_KEY: KEY.secret,
      };
      const f = await startImages(env);
      const u = await signUp(f.port, 'pia');
      const problems = [];
      const rekognition = (labels) => (req, body, res) => {
        problems.push(...checkSigV4(req, body, KEY, REGION, port));
        const parsed = JSON.parse(body);
        assert.equal(parsed.MinConfidence, 60);
        checkImage(parsed.Image.Bytes);
        answer(res, 200, { ModerationLabels: labels, ModerationModelVersion: '7.0' });
      };
      const up = () => uploadBytes(f, u.token, makeImage('jpeg', 2400, 1800));

      reply = rekognition([L('Alcohol', '', 90)]);
      const approved = await up();
      assert.equal(approved.errors, undefined, JSON.stringify(approved.errors));
      assert.deepEqual(approved.data.uploadImage.moderation, { status: 'APPROVED', labels: [{ name: 'Alcohol', parentName: null, confidence: 90 }] });

      reply = rekognition([L('Suggestive', '', 80.5), L('Revealing Clothes', 'Suggestive', 70)]);
      const review = await up();
      assert.equal(review.data.uploadImage.moderation.status, 'REVIEW');
      assert.deepEqual(review.data.uploadImage.moderation.labels[1], { name: 'Revealing Clothes', parentName: 'Suggestive', confidence: 70 });
      // Below the minimum confidence a reject label does not count.
      reply = rekognition([L('Violence', '', 55)]);
      assert.equal((await up()).data.uploadImage.moderation.status, 'APPROVED');
      const storedBefore = storedFiles(f);
      assert.equal(storedBefore.length, 9);

      reply = rekognition([L('Explicit Nudity', '', 97.5), L('Graphic Male Nudity', 'Explicit Nudity', 95.26)]);
      const rejected = await up();
      assert.equal(codeOf(rejected), 'CONTENT_REJECTED', JSON.stringify(rejected));
      assert.equal(rejected.data, null);
      assert.match(rejected.errors[0].message, /Explicit Nudity 97\.5%/);
      assert.match(rejected.errors[0].message, /Graphic Male Nudity \(Explicit Nudity\) 95\.3%/);
      assert.deepEqual(storedFiles(f), storedBefore, 'a rejected image is not stored');
      assert.deepEqual(problems, [], 'every request verified');

      // The provider fails: REVIEW by default, never APPROVED.
      reply = (req, body, res) => answer(res, 500, { __type: 'InternalServerError', message: 'boom' });
      const failed = await up();
      assert.deepEqual(failed.data.uploadImage.moderation, { status: 'REVIEW', labels: [] });
      reply = () => {}; // never answers: the timeout
      const slow = await up();
      assert.equal(slow.data.uploadImage.moderation.status, 'REVIEW');

      // FACET_MODERATION_ON_ERROR=fail: the upload fails and nothing is stored.
      const strict = await startImages({ ...env, FACET_MODERATION_ON_ERROR: 'fail' });
      const su = await signUp(strict.port, 'pia2');
      reply = (req, body, res) => answer(res, 400, { __type: 'AccessDeniedException', message: 'no' });
      const unavailable = await uploadBytes(strict, su.token, makeImage('jpeg', 400, 300));
      assert.equal(codeOf(unavailable), 'MODERATION_UNAVAILABLE', JSON.stringify(unavailable));
      assert.deepEqual(storedFiles(strict), []);
    });

    test('webhook: HMAC-signed POST whose verdict counts, REJECTED included', { timeout: 90000 }, async () => {
      const f = await startImages({
        FACET_MODERATION: 'webhook',
        FACET_MODERATION_WEBHOOK_URL: `http://127.0.0.1:${port}/moderate`,
        FACET_MODERATION_WEBHOOK_SECRET: SECRET,
        FACET_MODERATION_TIMEOUT: '2s',
      });
      const u = await signUp(f.port, 'quinn');
      const problems = [];
      const webhook = (verdict) => (req, body, res) => {
        const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(req.headers['x-facet-signature'] ?? '');
        if (!m) problems.push(`signature header ${req.headers['x-facet-signature']}`);
        else if (crypto.createHmac('sha256', SECRET).update(`${m[1]}.${body}`).digest('hex') !== m[2]) problems.push('signature does not verify');
        if (req.url !== '/moderate' || req.method !== 'POST') problems.push(`${req.method} ${req.url}`);
        const parsed = JSON.parse(body);
        if (!/^[0-9a-f]{24}$/.test(parsed.imageId)) problems.push(`imageId ${parsed.imageId}`);
        checkImage(parsed.base64);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(verdict));
      };
      reply = webhook({ status: 'APPROVED' });
      const ok = await uploadBytes(f, u.token, makeImage('png', 500, 400));
      assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
      assert.deepEqual(ok.data.uploadImage.moderation, { status: 'APPROVED', labels: [] });
      const imageId = JSON.parse(seen.at(-1).body).imageId;
      assert.equal(imageId, ok.data.uploadImage.id, 'the webhook hears the id the image is stored under');

      reply = webhook({ status: 'REVIEW', labels: [{ name: 'Weapons', confidence: 88 }] });
      assert.deepEqual((await uploadBytes(f, u.token, makeImage('png', 500, 400))).data.uploadImage.moderation,
        { status: 'REVIEW', labels: [{ name: 'Weapons', parentName: null, confidence: 88 }] });

      const storedBefore = storedFiles(f);
      reply = webhook({ status: 'REJECTED', labels: [{ name: 'Hate Symbols', confidence: 99 }] });
      const rejected = await uploadBytes(f, u.token, makeImage('png', 500, 400));
      assert.equal(codeOf(rejected), 'CONTENT_REJECTED');
      assert.match(rejected.errors[0].message, /Hate Symbols 99\.0%/);
      // The configured reject list counts too, whatever the webhook says.
      reply = webhook({ status: 'APPROVED', labels: [{ name: 'Violence', confidence: 90 }] });
      assert.equal(codeOf(await uploadBytes(f, u.token, makeImage('png', 500, 400))), 'CONTENT_REJECTED');
      assert.deepEqual(storedFiles(f), storedBefore);

      reply = (req, body, res) => {
        res.writeHead(200);
        res.end('not json');
      };
      assert.equal((await uploadBytes(f, u.token, makeImage('png', 500, 400))).data.uploadImage.moderation.status, 'REVIEW');
      assert.deepEqual(problems, []);
    });
  });

  test('avatars: an owned image only; User.avatar is the Image; a list of avatars is one image query', { timeout: 90000 }, async () => {
    const f = await startImages({ FACET_LOG_LEVEL: 'debug' });
    const users = [];
    for (const name of ['ray', 'sue', 'tom']) {
      const u = await signUp(f.port, name);
      const img = (await uploadBytes(f, u.token, makeImage('png', 400, 400))).data.uploadImage;
      users.push({ ...u, image: img });
    }
    const [a, b, c] = users;
    const set = (u, id) => gql(f.port, 'mutation($id: ID) { updateProfile(input: { avatarImageId: $id }) { avatar { id url(variant: THUMB) } } }', { id }, { token: u.token });
    assert.equal(codeOf(await set(a, b.image.id)), 'BAD_USER_INPUT', "another user's image");
    for (const u of users) {
      const r = await set(u, u.image.id);
      assert.deepEqual(r.data.updateProfile.avatar, { id: u.image.id, url: u.image.thumb });
    }
    const me = await gql(f.port, '{ me { avatar { id width variants { variant } owner { username } } } }', {}, { token: a.token });
    assert.deepEqual(me.data.me.avatar, { id: a.image.id, width: 400, variants: [{ variant: 'THUMB' }, { variant: 'MEDIUM' }, { variant: 'LARGE' }], owner: { username: a.user.username } });

    const q = `query($a: ID!, $b: ID!, $c: ID!) {
      a: user(id: $a) { avatar { id url(variant: THUMB) } }
      b: user(id: $b) { avatar { id url(variant: THUMB) } }
      c: user(id: $c) { avatar { id url(variant: THUMB) } } }`;
    const since = f.logs.length;
    const list = await gql(f.port, q, { a: a.user.id, b: b.user.id, c: c.user.id });
    assert.deepEqual(list.data, {
      a: { avatar: { id: a.image.id, url: a.image.thumb } },
      b: { avatar: { id: b.image.id, url: b.image.thumb } },
      c: { avatar: { id: c.image.id, url: c.image.thumb } },
    });
    const batches = f.logs.slice(since).filter((l) => l.msg === 'image batch');
    assert.deepEqual(batches.map((l) => l.count), [3], 'three avatars, one image query');

    // A deleted avatar image reads as null.
    await gql(f.port, 'mutation($id: ID!) { deleteImage(id: $id) }', { id: c.image.id }, { token: c.token });
    assert.deepEqual((await gql(f.port, 'query($id: ID!) { user(id: $id) { avatar { id } } }', { id: c.user.id })).data, { user: { avatar: null } });
    assert.deepEqual((await set(c, null)).data.updateProfile, { avatar: null });
  });

  test('bad image settings stop start-up naming the variable', { timeout: 30000 }, async () => {
    for (const [env, name] of [
      [{ FACET_STORAGE: 'nfs' }, 'FACET_STORAGE'],
      [{ FACET_IMAGE_FORMAT: 'bmp' }, 'FACET_IMAGE_FORMAT'],
      [{ FACET_FETCH_ALLOW: 'localhost' }, 'FACET_FETCH_ALLOW'],
      [{ FACET_IMAGE_QUALITY: '101' }, 'FACET_IMAGE_QUALITY'],
      [{ FACET_MODERATION: 'webhook' }, 'FACET_MODERATION_WEBHOOK_URL'],
      [{ FACET_MODERATION: 'rekognition' }, 'AWS_ACCESS_KEY_ID'],
    ]) {
      assert.match(await refusedAtStart(env), new RegExp(`facet: .*${name}`), JSON.stringify(env));
    }
  });
});

// ---- helpers: SigV4 as a server checks it, s3rver ------------------------

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

/** Recomputes a Rekognition request's SigV4 signature; returns the problems found. */
function checkSigV4(req, body, key, region, port) {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/
    .exec(req.headers.authorization ?? '');
  if (!m) return [`Authorization: ${req.headers.authorization}`];
  const [, keyId, day, reg, service, signedHeaders, signature] = m;
  const problems = [];
  if (keyId !== key.id || reg !== region || service !== 'rekognition') problems.push(`scope ${keyId}/${reg}/${service}`);
  if (req.headers['x-amz-target'] !== 'RekognitionService.DetectModerationLabels') problems.push('X-Amz-Target');
  if (req.headers['content-type'] !== 'application/x-amz-json-1.1') problems.push('Content-Type');
  if (req.headers.host !== `127.0.0.1:${port}`) problems.push(`Host ${req.headers.host}`);
  const amzDate = req.headers['x-amz-date'] ?? '';
  if (!amzDate.startsWith(day)) problems.push(`X-Amz-Date ${amzDate}`);
  for (const h of ['host', 'x-amz-date', 'x-amz-target', 'content-type']) {
    if (!signedHeaders.split(';').includes(h)) problems.push(`${h} is not signed`);
  }
  const headers = signedHeaders.split(';').map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, new URL(req.url, 'http://x').pathname, '', headers, signedHeaders, sha256(body)].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, `${day}/${reg}/${service}/aws4_request`, sha256(canonical)].join('\n');
  let k = hmac(`AWS4${key.secret}`, day);
  for (const part of [reg, service, 'aws4_request']) k = hmac(k, part);
  if (hmac(k, toSign).toString('hex') !== signature) problems.push('signature does not verify');
  return problems;
}

