import dns from "node:dns";
import net from "node:net";

/**
 * Webhook URLs are typed by project admins but fetched by the server, so without a guard they
 * could reach the server's own network (metadata endpoints, databases, admin panels). Hosts that
 * resolve to loopback, private, link-local, CGNAT, multicast or reserved addresses are refused at
 * save and again at delivery — through the socket's own DNS lookup, so a name that changes its
 * answer between the two (DNS rebinding) is still caught. `WEBHOOK_ALLOW_PRIVATE=1` lifts this for
 * development, tests and receivers on a trusted private network.
 */
export const ALLOW_PRIVATE_ENV = "WEBHOOK_ALLOW_PRIVATE";

const BLOCKED = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv6");
}

export function privateHostsAllowed(env: Record<string, string | undefined> = process.env): boolean {
  return env[ALLOW_PRIVATE_ENV] === "1";
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1], "ipv4");
  const family = net.isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? "ipv4" : "ipv6");
}

export class BlockedHostError extends Error {
  readonly code = "EWEBHOOKBLOCKED";
}

function blockedMessage(host: string, address: string) {
  return `${host} resolves to ${address}, a private or local address; webhooks may only call public hosts (set ${ALLOW_PRIVATE_ENV}=1 to allow).`;
}

/** The host part without IPv6 brackets. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/** Refuses a URL whose host is, or resolves to, a private address; answers the reason, or null. */
export async function blockedHostReason(rawUrl: string, env: Record<string, string | undefined> = process.env): Promise<string | null> {
  if (privateHostsAllowed(env)) return null;
  const host = bareHost(new URL(rawUrl));
  if (net.isIP(host)) return isPrivateAddress(host) ? blockedMessage(host, host) : null;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true });
  } catch {
    return `${host} could not be resolved.`;
  }
  const blocked = addresses.find((a) => isPrivateAddress(a.address));
  return blocked ? blockedMessage(host, blocked.address) : null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses private answers: the address checked is the address
 * connected to. (IP-literal hosts skip lookup; `blockedHostReason` covers those before sending.)
 */
export function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    const blocked = privateHostsAllowed() ? undefined : addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) return callback(new BlockedHostError(blockedMessage(hostname, blocked.address)), "");
    if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no addresses.`), { code: "ENOTFOUND" }), "");
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}
