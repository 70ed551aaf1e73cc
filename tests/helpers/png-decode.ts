// A small PNG reader for tests: checks the signature and every chunk's CRC, inflates IDAT with
// node:zlib and undoes the five row filters. 8-bit gray, RGB, gray+alpha and RGBA, not interlaced.
import { inflateSync } from "node:zlib";
import { crc32 } from "../../src/plot/png.ts";

export interface DecodedPng {
  width: number;
  height: number;
  /** Bytes per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  channels: number;
  pixels: Uint8Array;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export function decodePng(bytes: Uint8Array): DecodedPng {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => bytes[i] === b)) throw new Error("not a PNG (bad signature)");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  for (;;) {
    const len = v.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + len);
    if (crc32(bytes.subarray(at + 4, at + 8 + len)) !== v.getUint32(at + 8 + len)) throw new Error(`bad CRC in ${type}`);
    if (type === "IHDR") {
      width = v.getUint32(at + 8);
      height = v.getUint32(at + 12);
      const depth = data[8]!;
      const color = data[9]!;
      if (depth !== 8 || !(color in CHANNELS) || data[12] !== 0) throw new Error(`unsupported PNG: depth ${depth}, color ${color}, interlace ${data[12]}`);
      channels = CHANNELS[color]!;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[row + x - channels]! : 0;
      const b = y > 0 ? pixels[row - stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[row - stride + x - channels]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][f];
      if (pred === undefined) throw new Error(`bad filter ${f} on row ${y}`);
      pixels[row + x] = (raw[src + x]! + pred) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Distinct colors and the share of pixels that are not (near) white. */
export function pixelStats(png: DecodedPng): { colors: number; inkShare: number } {
  const colors = new Set<number>();
  let ink = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const o = i * png.channels;
    const r = png.pixels[o]!;
    const g = png.channels >= 3 ? png.pixels[o + 1]! : r;
    const b = png.channels >= 3 ? png.pixels[o + 2]! : r;
    colors.add((r << 16) | (g << 8) | b);
    if (r < 240 || g < 240 || b < 240) ink++;
  }
  return { colors: colors.size, inkShare: ink / n };
}
