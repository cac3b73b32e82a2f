// The lifecycle controls of a room: Start, Pause, Resume (or "Approve plan and start" after plan
// review), Replan and Cancel — each offered only when the domain's transition function accepts
// it, only to people who may write. Replan and Cancel lose work, so they ask first and say what.
import { CirclePlay, Pause, Play, RefreshCw, Square } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { ConfirmDialog } from "../../ui/dialog";
import { refocusAfterAction } from "../../ui/focus";
import { ErrorNote } from "../../ui/surface";
import { allows } from "./lifecycle";
import { useCommand, type Command, type Room } from "./queries";

const DONE: Record<Command, string> = {
  start: "Started — the Planner is writing the plan",
  pause: "Paused — running tasks finish, nothing new starts",
  resume: "Resumed",
  replan: "Replanning — the Planner is writing a new plan",
  cancel: "Workroom cancelled",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function RoomControls({ room }: { room: Room }) {
  const { can } = useWorkspace();
  const send = useCommand(room.id);
  const [busy, setBusy] = useState<Command | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState<"replan" | "cancel" | null>(null);
  if (!can("workroom.write")) return null;

  const run = async (command: Command) => {
    // Start gives way to Pause, Pause to Resume: focus goes to the room's heading, not <body>.
    const pressed = document.activeElement;
    setBusy(command);
    setError(null);
    try {
      await send(command);
      toast.success(DONE[command]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
      refocusAfterAction(pressed);
    }
  };
  // Inside a dialog: the dialog shows the error and stays open.
  const confirmed = async (command: Command) => {
    setError(null);
    await send(command);
    toast.success(DONE[command]);
  };

  const planReview = room.state === "paused" && room.pause_reason === "plan_review";
  const finished = room.tasks.filter((t) => t.status === "succeeded").length;
  const unfinished = room.tasks.filter(
    (t) => t.status !== "succeeded" && t.status !== "discarded" && t.status !== "skipped",
  ).length;
  const running = room.tasks.filter((t) => t.status === "running").length;
  const shown = (["start", "pause", "resume", "replan", "cancel"] as const).filter((c) =>
    allows(room, c),
  );
  if (shown.length === 0) return null;

  return (
    <div className="flex flex-col items-stretch gap-2 sm:items-end">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Workroom controls">
        {shown.includes("start") && (
          <Button
            variant="primary"
            icon={<Play className="size-4" aria-hidden />}
            busy={busy === "start"}
            onClick={() => void run("start")}
          >
            Start
          </Button>
        )}
        {shown.includes("resume") && (
          <Button
            variant="primary"
            icon={
              planReview ? (
                <CirclePlay className="size-4" aria-hidden />
              ) : (
                <Play className="size-4" aria-hidden />
              )
            }
            busy={busy === "resume"}
            onClick={() => void run("resume")}
          >
            {planReview ? "Approve plan and start" : "Resume"}
          </Button>
        )}
        {shown.includes("pause") && (
          <Button
            icon={<Pause className="size-4" aria-hidden />}
            busy={busy === "pause"}
            onClick={() => void run("pause")}
          >
            Pause
          </Button>
        )}
        {shown.includes("replan") && (
          <Button
            icon={<RefreshCw className="size-4" aria-hidden />}
            onClick={() => setConfirm("replan")}
          >
            Replan
          </Button>
        )}
        {shown.includes("cancel") && (
          <Button
            variant="ghost"
            className="text-danger"
            icon={<Square className="size-4" aria-hidden />}
            onClick={() => setConfirm("cancel")}
          >
            Cancel
          </Button>
        )}
      </div>
      <ErrorNote error={error} className="sm:max-w-md" />

      <ConfirmDialog
        open={confirm === "replan"}
        onOpenChange={(o) => setConfirm(o ? "replan" : null)}
        title="Replan this workroom?"
        confirmLabel="Discard and replan"
        onConfirm={() => confirmed("replan")}
      >
        <p>
          {unfinished > 0
            ? `${plural(unfinished, "unfinished task")} will be discarded${running > 0 ? `, and the ${plural(running, "model call")} running now will be stopped` : ""}.`
            : "No unfinished task will be lost."}{" "}
          {finished > 0
            ? `The ${plural(finished, "finished task")} and their outputs are kept and given to the Planner as context.`
            : "Nothing has finished yet, so the Planner starts from the inputs alone."}
        </p>
        <p className="text-muted">Credits already spent are not refunded.</p>
      </ConfirmDialog>

      <ConfirmDialog
        open={confirm === "cancel"}
        onOpenChange={(o) => setConfirm(o ? "cancel" : null)}
        title="Cancel this workroom?"
        confirmLabel="Cancel workroom"
        danger
        onConfirm={() => confirmed("cancel")}
      >
        <p>
          Everything stops for good
          {running > 0 ? `: the ${plural(running, "model call")} running now will be aborted` : ""}
          {unfinished > 0 ? ` and ${plural(unfinished, "task")} will never run` : ""}. A cancelled
          workroom cannot be resumed or replanned
          {room.final_round === 0 ? ", and no deliverable will be written" : ""}.
        </p>
        {finished > 0 && (
          <p className="text-muted">
            The {plural(finished, "finished task")} {finished === 1 ? "stays" : "stay"} readable in
            the plan.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
