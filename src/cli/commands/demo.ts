// `atelya demo`: runs a bundled sample room (an agency brief, a past sample, meeting notes) with the
// scripted model, and says plainly that the text is scripted, not written by a real model.
import { join } from "node:path";
import type { Command } from "commander";
import { wholeNumber } from "../options.js";
import { createWorkroom, startWorkroom } from "../../app/workrooms.js";
import { configFromEnv } from "../config.js";
import { DEMO_WORKSPACE, openSession } from "../session.js";
import { finish } from "./run.js";

const BRIEF = `Aurora Coffee (12 cafés in Lisbon and Porto) wants to relaunch its loyalty app before the holiday season.
Goals: lift repeat visits by 15% and move stamp cards to the app. Budget around €40,000.
They need a pilot in three stores by 15 November and a full rollout in January.
Contact: Dana Reis, CMO.`;

const NOTES = `Kick-off call, 3 October. Dana (CMO), Rui (IT), our team.
- The app must keep working offline at the counter; the cafés' Wi-Fi drops often.
- IT wants single sign-on with their Microsoft tenant for staff.
- POS vendor decision still open (Lightspeed or Toast); due 20 October.
- Dana wants a simple points model: one coffee, one point; ten points, one free drink.`;

const SAMPLE = `Thank you for the chance to pitch. Here is how we would approach the work, in plain words and
with no surprises: what we will do, when, what it costs, and what could get in the way.`;

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("run a bundled sample workroom with the scripted model (no provider needed)")
    .option(
      "-o, --out <dir>",
      "where to write the deliverable (default: deliverables/ in the data folder, ATELYA_DATA_DIR)",
    )
    .option("--latency <ms>", "scripted latency per call, to watch progress", wholeNumber(0), 150)
    .action(async (o: { out?: string; latency: number }) => {
      const config = configFromEnv(process.env);
      const out = process.stdout;
      out.write(
        "Atelya demo — this room runs on the SCRIPTED model: plans and text are generated deterministically\n",
      );
      out.write(
        "from the inputs to show the engine at work, not written by a real language model.\n\n",
      );
      const s = await openSession(config, {
        model: "scripted",
        workspaceName: DEMO_WORKSPACE,
        latencyMs: o.latency,
        tools: true,
      });
      try {
        const room = await createWorkroom(s.runtime.deps, s.actor, {
          title: "Aurora Coffee — Q4 Proposal",
          client: "Aurora Coffee",
          deliverables: ["Proposal"],
          inputs: [
            { kind: "brief", label: "Client brief", content: BRIEF },
            { kind: "meeting_notes", label: "Kick-off call notes", content: NOTES },
            { kind: "sample", label: "Our past proposal (voice)", content: SAMPLE },
          ],
        });
        out.write(`Workroom ${room.id}\n`);
        await startWorkroom(s.runtime.deps, s.actor, room.id);
        await finish(s, room.id, o.out ?? join(config.dataDir, "deliverables"));
        out.write(`\nSee everything that happened: atelya show ${room.id}\n`);
      } finally {
        await s.close();
      }
    });
}
