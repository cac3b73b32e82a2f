// How Atelya reaches MCP servers over HTTP: through one undici agent whose connections refuse
// internal addresses (loopback, private ranges, link-local, cloud metadata) unless the server's
// operator allowed them (`mcpAllowAddresses`). A workspace admin may add HTTP servers over the API;
// without this, one could aim a "server" at a service inside the Atelya host's network and read
// its answers through the tools' errors and results. The address is checked when each socket
// connects (a name re-pointed after it was saved is caught), and IP literals before each request
// (the SDK follows same-origin redirects itself, through this fetch).
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from "undici";
import { addressList, hostOf, refusedLiteral, refusingLookup } from "./builtins/fetch-guard.js";

export class InternalAddressRefused extends Error {
  override name = "InternalAddressRefused";
  constructor(host: string, ip: string) {
    super(
      `${host === ip ? ip : `${host} (${ip})`} is an internal address, and MCP servers on loopback or private networks are reached only if the server's operator allows the address (the setting mcpAllowAddresses, or ATELYA_MCP_ALLOW_ADDRESSES=${ip})`,
    );
  }
}

export interface McpNetwork {
  /** The transports' fetch: every connection goes through the guarded agent, and a URL whose
   *  host is an internal IP that is not allowed is refused before anything is sent. */
  fetch: FetchLike;
  /** Closes the agent's idle connections. */
  close(): Promise<void>;
}

/** `allowAddresses`: addresses or CIDR ranges ("127.0.0.1", "10.0.5.0/24") that may be reached. */
export function mcpNetwork(allowAddresses: readonly string[]): McpNetwork {
  const allowed = addressList(allowAddresses);
  const agent = new Agent({
    connect: {
      lookup: refusingLookup(allowed, (host, ip) => new InternalAddressRefused(host, ip)),
    },
  });
  const check = (url: URL) => {
    const host = hostOf(url);
    if (refusedLiteral(host, allowed)) throw new InternalAddressRefused(host, host);
  };
  return {
    async fetch(url, init) {
      check(new URL(url));
      // undici's own fetch with its agent: Node's global fetch bundles another undici version,
      // which an agent from this one is not guaranteed to work with. The types differ only
      // nominally (both are the WHATWG fetch).
      const response = await undiciFetch(url, {
        ...(init as UndiciRequestInit),
        dispatcher: agent,
      });
      return response as unknown as Response;
    },
    close: () => agent.close(),
  };
}

/** The refusal somewhere in an error's causes (fetch wraps a connect error as "fetch failed"). */
export function internalAddressIn(e: unknown): InternalAddressRefused | undefined {
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++)
    if (c instanceof InternalAddressRefused) return c;
  return undefined;
}
