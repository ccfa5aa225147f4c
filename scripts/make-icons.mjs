#!/usr/bin/env node
/**
 * Draws the PWA icons (a white package on the theme blue) and writes them as PNGs into
 * client/public/icons/. No dependencies: shapes are signed-distance functions sampled 4x4 per pixel
 * for smooth edges, and the PNG is encoded by hand (IHDR, one IDAT deflated with node:zlib, IEND).
 * Run: node scripts/make-icons.mjs  (the output is committed; run again only to change the design).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'client', 'public', 'icons');

const THEME = [0x1f, 0x4e, 0x79];
const WHITE = [0xff, 0xff, 0xff];
const ACCENT = [0xf2, 0xa5, 0x41];

/** Signed distance to a rounded rectangle centred at (cx, cy), half sizes (hw, hh), corner radius r. */
function roundedRect(x, y, cx, cy, hw, hh, r) {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - r;
}

/**
 * The colour at a point of the unit square, or undefined for transparent. `maskable` fills the whole
 * square (the platform applies its own mask) and keeps the glyph inside the 80% safe zone.
 */
function shade(x, y, maskable) {
  const glyphScale = maskable ? 0.78 : 1;
  if (!maskable && roundedRect(x, y, 0.5, 0.5, 0.5, 0.5, 0.2) > 0) return undefined;
  // Glyph coordinates, scaled about the centre.
  const gx = 0.5 + (x - 0.5) / glyphScale;
  const gy = 0.5 + (y - 0.5) / glyphScale;
  const box = roundedRect(gx, gy, 0.5, 0.54, 0.25, 0.22, 0.04);
  const lid = roundedRect(gx, gy, 0.5, 0.3, 0.29, 0.07, 0.03);
  const lidGap = Math.abs(gy - 0.385) < 0.018 && Math.abs(gx - 0.5) < 0.26;
  const tape = Math.abs(gx - 0.5) < 0.045 && gy > 0.23 && gy < 0.76;
  if ((box <= 0 || lid <= 0) && tape) return ACCENT;
  if ((box <= 0 || lid <= 0) && !lidGap) return WHITE;
  return THEME;
}

function draw(size, maskable) {
  const samples = 4;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size, maskable);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
      }
      rgba[i + 3] = Math.round((255 * a) / (samples * samples));
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  // compression, filter and interlace methods stay 0
  const rowLength = size * 4 + 1;
  const raw = Buffer.alloc(rowLength * size);
  for (let y = 0; y < size; y++) {
    raw[y * rowLength] = 0; // filter: none
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * rowLength + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const icons = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true },
  { file: 'favicon-32.png', size: 32, maskable: false },
];

mkdirSync(OUT_DIR, { recursive: true });
for (const { file, size, maskable } of icons) {
  const png = encodePng(size, draw(size, maskable));
  writeFileSync(join(OUT_DIR, file), png);
  console.log(`${file}: ${size}x${size}, ${png.length} bytes`);
}
