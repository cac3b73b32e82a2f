// Multipart form parsing for file uploads (POST /api/v1/workrooms/uploads). Registered once on the
// app; the route passes the limits of the server configuration to each parse, so one place (the
// upload route) turns them into 413s with messages naming the limit.
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
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
