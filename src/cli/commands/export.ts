// `atelya export <room> --format docx|pdf|md [--round N] [-o dir]` and `atelya profile …`.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { getSettings, setExportProfile } from "../../app/settings.js";
import { uprightSize } from "../../export/image-size.js";
import { blurredLogoWarning } from "../../export/logo-print.js";
import { CliError } from "../errors.js";
import {
  withRoomSession,
  withSession,
  withSessionMakingWorkspace,
  type Session,
} from "../session.js";

/** Writes the given formats of a room's latest (or given) round into `dir`; returns the paths. */
export async function exportTo(
  s: Session,
  roomId: string,
  formats: string[],
  dir: string,
  round?: number,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  // The renderers (docx, PDFKit and its fonts) load when a document is exported, not with every
  // command.
  const { exportDeliverable } = await import("../../app/exports.js");
  for (const format of formats) {
    const file = await exportDeliverable(s.runtime.deps, s.actor, roomId, format, round);
    const path = join(dir, file.filename);
    await writeFile(path, file.bytes);
    paths.push(path);
  }
  return paths;
}

export function registerExport(program: Command): void {
  program
    .command("export <room>")
    .description(
      "export a finished round as .docx, .pdf or Markdown, with the workspace letterhead",
    )
    .option("--format <formats>", "docx, pdf, md, or several separated by commas", "docx")
    .option("--round <n>", "the round to export (default: the latest)")
    .option("-o, --out <dir>", "where to write the files", ".")
    .action((roomId: string, o: { format: string; round?: string; out: string }) =>
      withRoomSession(roomId, async (s) => {
        const round = o.round === undefined ? undefined : Number(o.round);
        if (round !== undefined && !Number.isInteger(round))
          throw new CliError("--round is a whole number.");
        for (const path of await exportTo(
          s,
          roomId,
          o.format.split(",").map((f) => f.trim()),
          o.out,
          round,
        ))
          process.stdout.write(`${path}\n`);
      }),
    );

  const profile = program.command("profile").description("the export letterhead of the workspace");
  profile
    .command("show")
    .description("the letterhead exports carry (the logo by its type)")
    .action(() =>
      withSession(async (s) => {
        const { export_profile } = await getSettings(s.runtime.deps, s.actor);
        process.stdout.write(
          export_profile
            ? `${JSON.stringify({ ...export_profile, logo: export_profile.logo ? `(${export_profile.logo.mime})` : null }, null, 2)}\n`
            : "No export profile yet; exports use the workspace name.\n",
        );
      }),
    );
  profile
    .command("set")
    .description(
      "change the letterhead: only the options given change, the rest keep what was saved (an empty value clears a line)",
    )
    .option("--company <name>", "the company name (needed the first time)")
    .option("--tagline <text>")
    .option("--address <text>")
    .option("--email <email>")
    .option("--phone <phone>")
    .option("--website <url>")
    .option("--accent <#rrggbb>")
    .option("--logo <file.png|jpg>")
    .option("--no-logo", "remove the logo")
    .option("--paper <a4|letter>", "the page size of .pdf and .docx exports (a4 until set)")
    .action(
      (o: {
        company?: string;
        tagline?: string;
        address?: string;
        email?: string;
        phone?: string;
        website?: string;
        accent?: string;
        logo?: string | false;
        paper?: string;
      }) =>
        withSessionMakingWorkspace(async (s) => {
          const current = (await getSettings(s.runtime.deps, s.actor)).export_profile;
          const company = o.company ?? current?.company_name;
          if (company === undefined)
            throw new CliError(
              "There is no letterhead yet: give the company name with --company the first time.",
            );
          const logo =
            o.logo === false
              ? null
              : o.logo === undefined
                ? (current?.logo ?? null)
                : await logoFile(o.logo);
          const given = (key: string, value: string | undefined) =>
            value === undefined ? {} : { [key]: value };
          const saved = await setExportProfile(s.runtime.deps, s.actor, {
            ...current,
            company_name: company,
            ...given("tagline", o.tagline),
            ...given("address", o.address),
            ...given("email", o.email),
            ...given("phone", o.phone),
            ...given("website", o.website),
            ...given("accent_color", o.accent),
            ...given("paper_size", o.paper?.toLowerCase()),
            logo,
          });
          process.stdout.write("Export profile saved.\n");
          const chosen = saved.export_profile?.logo;
          const size = chosen && uprightSize(Buffer.from(chosen.base64, "base64"), chosen.mime);
          const warning = size && blurredLogoWarning(size.width, size.height);
          if (warning) process.stderr.write(`warning: ${warning}\n`);
        }),
    );
}

/** A logo file as the export profile holds it; its kind by its extension (the bytes are checked
 *  when the profile is saved). */
async function logoFile(path: string): Promise<{ mime: string; base64: string }> {
  const mime = /\.png$/i.test(path) ? "image/png" : /\.jpe?g$/i.test(path) ? "image/jpeg" : null;
  if (!mime) throw new CliError("The logo must be a .png or .jpg file.");
  const bytes = await readFile(path).catch(() =>
    Promise.reject(new CliError(`Cannot read ${path}.`)),
  );
  return { mime, base64: bytes.toString("base64") };
}
