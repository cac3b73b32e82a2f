// Where fetch_url may go: hosts on the workspace's allow-list, and never an internal address
// (loopback, private ranges, link-local, cloud metadata) unless an operator allowed it by address.
// The address is checked when the socket connects, so a DNS answer cannot change between the check
// and the request.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { ToolRefusedError } from "../errors.js";

const INTERNAL_V4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/4",
  "240.0.0.0/4",
];
const INTERNAL_V6 = ["::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8"];

const internal = new BlockList();
for (const net of INTERNAL_V4)
  internal.addSubnet(net.split("/")[0]!, Number(net.split("/")[1]), "ipv4");
for (const net of INTERNAL_V6)
  internal.addSubnet(net.split("/")[0]!, Number(net.split("/")[1]), "ipv6");

/** "127.0.0.1" or "10.0.0.0/8" (IPv4 or IPv6) as a list an address can be checked against. */
/** Why `entry` is not an IP address or CIDR range (`10.0.5.20`, `10.0.0.0/8`, `fd00::/8`), or null. */
export function addressProblem(entry: string): string | null {
  const [address = "", bits, ...rest] = entry.split("/");
  const version = isIP(address);
  if (!version || rest.length) return `"${entry}" is not an IP address or CIDR range`;
  const most = version === 6 ? 128 : 32;
  if (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= most))
    return `"${entry}" has a prefix length that is not 0 to ${most}`;
  return null;
}

export function addressList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const e of entries) {
    const problem = addressProblem(e);
    if (problem) throw new Error(`${problem}.`);
    const [address, bits] = e.split("/");
    const family = isIP(address!) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(bits), family);
  }
  return list;
}

export function isInternal(ip: string): boolean {
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return internal.check(mapped, "ipv4");
  return internal.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/** Whether a socket may connect to `ip`: it is not internal, or an operator allowed it. */
export function reachable(ip: string, allowed: BlockList): boolean {
  return !isInternal(ip) || allowed.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/** A URL's host as written, an IPv6 literal without its brackets. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, "");

/** Whether `host` is an IP literal that may not be reached (a name is checked when it is looked
 *  up: `refusingLookup`). */
export const refusedLiteral = (host: string, allowed: BlockList): boolean =>
  isIP(host) !== 0 && !reachable(host, allowed);

/**
 * A DNS lookup for sockets (`lookup` of node:http, node:net and undici's connector) that fails
 * with `refuse(host, ip)` when the name resolves to an address `reachable` refuses. Checked at
 * connect time, so a name re-pointed after it was saved, or between two connections, is caught.
 * An IP literal is not looked up: check it with `reachable` first.
 */
export function refusingLookup(
  allowed: BlockList,
  refuse: (host: string, ip: string) => Error,
): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 4);
      const bad = addresses.find((a) => !reachable(a.address, allowed));
      if (bad) return callback(refuse(hostname, bad.address), "", 4);
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

export interface FetchGuard {
  /** Refuses a URL whose host is off the allow-list, or is an internal IP written literally. */
  checkUrl(url: URL, redirectedFrom?: URL): void;
  /** DNS lookup for the HTTP agent that refuses internal addresses. */
  lookup: LookupFunction;
}

export function fetchGuard(
  allowHosts: readonly string[],
  allowAddresses: readonly string[],
): FetchGuard {
  const allowed = addressList(allowAddresses);
  const refuseAddress = (host: string, ip: string) =>
    new ToolRefusedError(
      `${host} is an internal address (${ip}); fetch_url does not read loopback or private networks. ` +
        "An operator can allow that address explicitly in the fetch settings if the agent really needs it.",
    );
  const hostAllowed = (host: string) =>
    allowHosts.some((a) => {
      const rule = a.toLowerCase();
      return rule.startsWith("*.")
        ? host.endsWith(rule.slice(1)) || host === rule.slice(2)
        : host === rule;
    });

  return {
    checkUrl(url, redirectedFrom) {
      const host = hostOf(url).toLowerCase();
      const via = redirectedFrom ? ` (redirected from ${redirectedFrom.host})` : "";
      if (url.protocol !== "http:" && url.protocol !== "https:")
        throw new ToolRefusedError(
          `fetch_url reads only http and https URLs, not ${url.protocol}${via}.`,
        );
      if (!allowHosts.length)
        throw new ToolRefusedError(
          `fetch_url is off: no host is allowed in this workspace${via}. An owner or admin can allow hosts with \`atelya fetch-allow ${host}\` (or '*.${host}' for its subdomains).`,
        );
      if (!hostAllowed(host))
        throw new ToolRefusedError(
          `${host} is not on this workspace's fetch allow-list (${allowHosts.join(", ")})${via}. Add it with \`atelya fetch-allow\` if agents should read it.`,
        );
      if (isIP(host) && !reachable(host, allowed)) throw refuseAddress(host, host);
    },
    lookup: refusingLookup(allowed, refuseAddress),
  };
}
