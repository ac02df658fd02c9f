/**
 * IPv4 and IPv6 addresses and CIDR ranges, parsed once at compile time for operands. IPv4 octets
 * are 0-255 without leading zeros (as the `ip-address` package Unleash uses). IPv6 accepts `::`
 * compression and an embedded dotted IPv4 tail. An address without a prefix is a single host.
 * A range only matches addresses of its own family.
 */

export interface IpAddress {
  readonly family: 4 | 6;
  /** 2 sixteen-bit groups for IPv4, 8 for IPv6. */
  readonly groups: readonly number[];
}

export interface CidrRange extends IpAddress {
  readonly prefix: number;
}

const V4_OCTET = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseV4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!V4_OCTET.test(p)) return null;
    out.push(Number(p));
  }
  return [(out[0] << 8) | out[1], (out[2] << 8) | out[3]];
}

function parseV6(s: string): number[] | null {
  if (s.length === 0 || s.length > 45) return null;
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parseSide = (side: string, allowV4Tail: boolean): number[] | null => {
    if (side === "") return [];
    const parts = side.split(":");
    const groups: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (allowV4Tail && i === parts.length - 1 && p.includes(".")) {
        const v4 = parseV4(p);
        if (v4 === null) return null;
        groups.push(v4[0], v4[1]);
      } else if (HEX_GROUP.test(p)) {
        groups.push(parseInt(p, 16));
      } else return null;
    }
    return groups;
  };
  if (halves.length === 1) {
    const g = parseSide(halves[0], true);
    return g !== null && g.length === 8 ? g : null;
  }
  const head = parseSide(halves[0], false);
  const tail = parseSide(halves[1], true);
  if (head === null || tail === null || head.length + tail.length > 7) return null;
  const zeros = new Array<number>(8 - head.length - tail.length).fill(0);
  return [...head, ...zeros, ...tail];
}

export function parseIp(input: string): IpAddress | null {
  const s = input.trim();
  if (s.includes(":")) {
    const g = parseV6(s);
    return g === null ? null : { family: 6, groups: g };
  }
  const g = parseV4(s);
  return g === null ? null : { family: 4, groups: g };
}

export function parseCidr(input: string): CidrRange | null {
  const s = input.trim();
  const slash = s.indexOf("/");
  const addr = parseIp(slash === -1 ? s : s.slice(0, slash));
  if (addr === null) return null;
  const max = addr.family === 4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p);
    if (prefix > max) return null;
  }
  return { family: addr.family, groups: addr.groups, prefix };
}

export function cidrContains(range: CidrRange, ip: IpAddress): boolean {
  if (range.family !== ip.family) return false;
  let bits = range.prefix;
  for (let i = 0; i < range.groups.length && bits > 0; i++) {
    const take = bits >= 16 ? 16 : bits;
    const mask = (0xffff << (16 - take)) & 0xffff;
    if ((range.groups[i] & mask) !== (ip.groups[i] & mask)) return false;
    bits -= take;
  }
  return true;
}
