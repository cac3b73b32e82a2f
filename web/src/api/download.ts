// Files the server sends as downloads (deliverable exports, the insights CSV, the workspace
// archive): fetched with the session like every call, then saved under the name the server gave.
import { rawFetch } from "./client";

/** The file name the server gave in Content-Disposition (RFC 6266: filename* wins). */
function filenameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // a malformed escape: fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(disposition);
  return (plain?.[1] ?? plain?.[2])?.trim() || fallback;
}

/**
 * Downloads `path` and has the browser save it under the server's file name (or `fallback`);
 * answers that name. Throws the server's error (an ApiError) when it refuses.
 */
export async function download(path: string, fallback: string): Promise<string> {
  const response = await rawFetch(path);
  const name = filenameFrom(response.headers.get("content-disposition"), fallback);
  const url = URL.createObjectURL(await response.blob());
  try {
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.rel = "noopener";
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // Let the browser start reading the blob before it goes.
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }
  return name;
}
