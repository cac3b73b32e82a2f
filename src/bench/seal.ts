// Cost of encryption at rest: seal and open of 1 KB and 64 KB values (median of 5 runs), and the
// read-side plugin's cost on a row with nothing sealed (every query on the engine's hot path).
import { performance } from "node:perf_hooks";
import { createCipher } from "../store/crypto/cipher.js";
import { randomMasterKey } from "../store/crypto/master-key.js";
import { OpenSealedPlugin } from "../store/crypto/open-plugin.js";

export interface SealFigures {
  sealUsPerKb: number;
  /** First read of a value: decryption. */
  openUsPerKb: number;
  /** Later reads of the same value (the cipher keeps opened values by envelope). */
  openCachedUsPerKb: number;
  seal64KbUs: number;
  open64KbUs: number;
  /** The plugin's pass over a 20-column row without sealed values (most hot-path queries). */
  pluginUsPerPlainRow: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median over 5 runs of the µs per item of `fn` over `items`. */
function perItem<T>(items: () => T[], fn: (item: T) => void): number {
  const runs: number[] = [];
  for (let r = 0; r < 6; r++) {
    const xs = items();
    const t = performance.now();
    for (const x of xs) fn(x);
    if (r > 0) runs.push(((performance.now() - t) * 1_000) / xs.length); // run 0 warms up
  }
  return median(runs);
}

export async function benchSeal(): Promise<SealFigures> {
  const kb = "x".repeat(1_024);
  const big = "y".repeat(65_536);
  const n = (count: number) => Array.from({ length: count }, (_, i) => i);
  const cipher = createCipher(randomMasterKey());
  // Values sealed by a fresh cipher, to be opened by it: the first read really decrypts.
  const fresh = (text: string, count: number) => {
    const c = createCipher(randomMasterKey());
    return n(count).map(() => ({ c, v: c.seal("ws_bench", text) }));
  };
  const plugin = new OpenSealedPlugin(cipher);
  const plainRow = Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [`c${i}`, i % 2 ? `value ${i}` : i]),
  );
  const args = { result: { rows: [plainRow] }, queryId: { queryId: "bench" } };
  const warm = n(300).map(() => cipher.seal("ws_bench", kb));
  for (const v of warm) cipher.open(v);
  return {
    sealUsPerKb: perItem(
      () => n(5_000),
      () => cipher.seal("ws_bench", kb),
    ),
    openUsPerKb: perItem(
      () => fresh(kb, 5_000),
      ({ c, v }) => c.open(v),
    ),
    openCachedUsPerKb: perItem(
      () => warm,
      (v) => cipher.open(v),
    ),
    seal64KbUs: perItem(
      () => n(200),
      () => cipher.seal("ws_bench", big),
    ),
    open64KbUs: perItem(
      () => fresh(big, 200),
      ({ c, v }) => c.open(v),
    ),
    pluginUsPerPlainRow: perItem(
      () => n(100_000),
      () => void plugin.transformResult(args),
    ),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = await benchSeal();
  console.log("encryption at rest");
  console.log(`  seal 1 KB              ${f.sealUsPerKb.toFixed(1)} µs`);
  console.log(`  open 1 KB              ${f.openUsPerKb.toFixed(1)} µs`);
  console.log(`  open 1 KB again        ${f.openCachedUsPerKb.toFixed(1)} µs`);
  console.log(`  seal 64 KB             ${f.seal64KbUs.toFixed(0)} µs`);
  console.log(`  open 64 KB             ${f.open64KbUs.toFixed(0)} µs`);
  console.log(`  plugin, plain row      ${f.pluginUsPerPlainRow.toFixed(2)} µs`);
}
