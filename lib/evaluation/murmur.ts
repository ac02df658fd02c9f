/**
 * MurmurHash3, x86 32-bit variant, computed straight from JavaScript strings without allocating
 * (no TextEncoder buffer, no Buffer: this runs in the browser too).
 *
 * Two ways of turning a string into bytes:
 * - UTF-8 (`murmurUtf8`), what Switchyard's own bucketing hashes. Lone surrogates become U+FFFD,
 *   exactly as TextEncoder does, so the result equals hashing `new TextEncoder().encode(s)`.
 * - the low byte of every UTF-16 code unit (`murmurLowByte`), which is what the `murmurhash3js`
 *   package used by Unleash's Node SDK does; imported Unleash rollouts must keep every user in the
 *   same bucket, so they hash that way.
 *
 * The hash is streamed through module-level state. A prefix that is the same for every evaluation
 * of a rollout (`seed:flagKey:`) is hashed once at compile time (`utf8Prefix`), and evaluation only
 * feeds the bucket value.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

// Streaming state: running hash, pending bytes of the current 4-byte block, total byte count.
let h = 0;
let block = 0;
let blockLen = 0;
let total = 0;

function pushByte(b: number): void {
  block |= b << (blockLen << 3);
  total++;
  if (++blockLen === 4) {
    let k = Math.imul(block, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    block = 0;
    blockLen = 0;
  }
}

function pushUtf8(s: string): void {
  // ASCII runs (nearly every key) mix in local variables, without a call per byte.
  const n = s.length;
  let hh = h;
  let bl = block;
  let len = blockLen;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    bl |= c << (len << 3);
    if (++len === 4) {
      let k = Math.imul(bl, C1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, C2);
      hh ^= k;
      hh = (hh << 13) | (hh >>> 19);
      hh = (Math.imul(hh, 5) + 0xe6546b64) | 0;
      bl = 0;
      len = 0;
    }
  }
  h = hh;
  block = bl;
  blockLen = len;
  total += i;
  if (i < n) pushUtf8From(s, i);
}

/** The general UTF-8 path, from code unit `from` on. */
function pushUtf8From(s: string, from: number): void {
  const n = s.length;
  for (let i = from; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      pushByte(c);
    } else if (c < 0x800) {
      pushByte(0xc0 | (c >> 6));
      pushByte(0x80 | (c & 0x3f));
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        pushByte(0xf0 | (c >> 18));
        pushByte(0x80 | ((c >> 12) & 0x3f));
        pushByte(0x80 | ((c >> 6) & 0x3f));
        pushByte(0x80 | (c & 0x3f));
      } else {
        // Lone surrogate: U+FFFD, like TextEncoder.
        pushByte(0xef);
        pushByte(0xbf);
        pushByte(0xbd);
      }
    } else {
      pushByte(0xe0 | (c >> 12));
      pushByte(0x80 | ((c >> 6) & 0x3f));
      pushByte(0x80 | (c & 0x3f));
    }
  }
}

function pushLowBytes(s: string): void {
  const n = s.length;
  for (let i = 0; i < n; i++) pushByte(s.charCodeAt(i) & 0xff);
}

function finish(): number {
  let x = h;
  if (blockLen > 0) {
    let k = Math.imul(block, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    x ^= k;
  }
  x ^= total;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function reset(seed: number): void {
  h = seed | 0;
  block = 0;
  blockLen = 0;
  total = 0;
}

/** MurmurHash3 x86/32 of the UTF-8 bytes of `s`, as an unsigned 32-bit integer. */
export function murmurUtf8(s: string, seed = 0): number {
  reset(seed);
  pushUtf8(s);
  return finish();
}

/** MurmurHash3 x86/32 of the low byte of each UTF-16 unit of `s` (the `murmurhash3js` package). */
export function murmurLowByte(s: string, seed = 0): number {
  reset(seed);
  pushLowBytes(s);
  return finish();
}

/** Hash state after a constant prefix, so evaluations only hash what varies. */
export interface HashPrefix {
  readonly h: number;
  readonly block: number;
  readonly blockLen: number;
  readonly total: number;
  readonly lowByte: boolean;
}

function capture(lowByte: boolean): HashPrefix {
  return { h, block, blockLen, total, lowByte };
}

export function utf8Prefix(prefix: string, seed = 0): HashPrefix {
  reset(seed);
  pushUtf8(prefix);
  return capture(false);
}

/**
 * `utf8Prefix(parts.join(""))` without building the joined string (compiling 10,000 rollouts would
 * otherwise concatenate and flatten 10,000 prefixes).
 */
export function utf8PrefixOf(a: string, b: string, c: string, d: string): HashPrefix {
  reset(0);
  pushUtf8(a);
  pushUtf8(b);
  pushUtf8(c);
  pushUtf8(d);
  return capture(false);
}

export function lowBytePrefix(prefix: string, seed = 0): HashPrefix {
  reset(seed);
  pushLowBytes(prefix);
  return capture(true);
}

/** Hash of `prefix + s` where the prefix state was captured beforehand. */
export function murmurContinue(prefix: HashPrefix, s: string): number {
  h = prefix.h;
  block = prefix.block;
  blockLen = prefix.blockLen;
  total = prefix.total;
  if (prefix.lowByte) pushLowBytes(s);
  else pushUtf8(s);
  return finish();
}
