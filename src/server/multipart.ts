// Multipart form parsing for file uploads (workroom inputs, Style samples). Registered once on the
// app; the route passes the limits of the server configuration to each parse, so one place (the
// upload route) turns them into 413s with messages naming the limit.
import multipart, { type MultipartFile } from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { DomainError } from "../domain/errors.js";
import type { ServerConfig } from "./config.js";

export async function registerMultipart(app: FastifyInstance, config: ServerConfig): Promise<void> {
  await app.register(multipart, {
    limits: {
      fileSize: config.uploadFileLimit,
      files: config.uploadMaxFiles,
      fieldSize: config.bodyLimit,
    },
    // A file over the limit throws from toBuffer() instead of arriving truncated.
    throwFileSizeLimit: true,
  });
}

export const mb = (bytes: number) => `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;

/** A file part's bytes; one over the per-file limit is a 413 naming the file and the limit. */
export async function fileBytes(part: MultipartFile, config: ServerConfig): Promise<Buffer> {
  try {
    return await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE")
      throw new DomainError(
        "payload_too_large",
        `"${part.filename}" is over the upload limit of ${mb(config.uploadFileLimit)} per file.`,
      );
    throw e;
  }
}
