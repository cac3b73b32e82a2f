// The sender `atelya serve` uses: the same POST as `fetchSender`, over node:http with a DNS lookup
// that refuses loopback, private and link-local addresses at connect time (a host that resolves
// to one, or is re-pointed to one after it was saved, is never reached). Otherwise a workspace
// admin could aim a webhook at an internal service and read the start of its answer in the
// delivery log. Operators who deliver to their own network allow it in the server settings.
import http from "node:http";
import https from "node:https";
import {
  addressList,
  hostOf,
  refusedLiteral,
  refusingLookup,
} from "../tools/builtins/fetch-guard.js";
import { RESPONSE_EXCERPT_CHARS } from "../../domain/webhooks.js";
import type { HttpSender, SendResult } from "./sender.js";

const MAX_READ_BYTES = RESPONSE_EXCERPT_CHARS * 4;

class InternalAddressError extends Error {
  override name = "InternalAddressError";
}

export interface GuardOptions {
  /** Addresses or CIDR ranges that may be reached although internal (e.g. "10.0.5.20"). */
  allowAddresses?: readonly string[];
}

/** A sender that never connects to an internal address unless it is allowed. */
export function guardedSender(o: GuardOptions = {}): HttpSender {
  const allowed = addressList(o.allowAddresses ?? []);
  const lookup = refusingLookup(
    allowed,
    (host, ip) => new InternalAddressError(`${host} is an internal address (${ip})`),
  );
  return ({ url, headers, body, timeoutMs }) => {
    const target = new URL(url);
    const host = hostOf(target);
    // A literal IP is not looked up: check it here.
    if (refusedLiteral(host, allowed)) return Promise.resolve(refused(host));
    return new Promise<SendResult>((resolve) => {
      const signal = AbortSignal.timeout(timeoutMs);
      const req = (target.protocol === "https:" ? https : http).request(target, {
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
        lookup,
        signal,
      });
      req.once("error", (e) =>
        resolve(
          e instanceof InternalAddressError
            ? refused(e.message)
            : {
                ok: false,
                statusCode: null,
                response: null,
                error: signal.aborted
                  ? `No answer within ${timeoutMs / 1000} s (timeout)`
                  : `Could not reach the receiver (${(e as { code?: string }).code ?? e.message})`,
              },
        ),
      );
      req.once("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let answered = false;
        const done = () => {
          if (answered) return;
          answered = true;
          const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
          resolve({
            ok,
            statusCode: res.statusCode ?? null,
            response: Buffer.concat(chunks).toString("utf8").slice(0, RESPONSE_EXCERPT_CHARS),
            error: ok ? null : `The receiver answered ${res.statusCode}`,
          });
        };
        res.on("data", (chunk: Buffer) => {
          if (size >= MAX_READ_BYTES) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_READ_BYTES) {
            res.destroy();
            done();
          }
        });
        res.once("end", done);
        res.once("error", done);
      });
      req.end(body);
    });
  };
}

function refused(what: string): SendResult {
  return {
    ok: false,
    statusCode: null,
    response: null,
    error: `Refused: ${what.includes("internal") ? what : `${what} is an internal address`}; webhooks do not reach loopback or private networks unless the server allows them (webhookAllowAddresses).`,
  };
}
