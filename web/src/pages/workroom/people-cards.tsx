// Tasks that wait for a person, at the top of the page while they wait: approve or reject (with
// what to change) an approval, answer a question. Errors stay on the card, in the server's words.
import { CheckCircle2, HelpCircle, XCircle } from "lucide-react";
import { Fragment, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { TextArea } from "../../ui/field";
import { Card, CardBody, CardHeader, ErrorNote } from "../../ui/surface";
import { Markdown } from "./markdown";
import { useDecide, type Room, type Task } from "./queries";

export function WaitingCards({ room }: { room: Room }) {
  const waiting = room.tasks.filter(
    (t) => t.status === "waiting" && (t.type === "approval" || t.type === "user_input"),
  );
  if (waiting.length === 0) return null;
  return (
    <div className="flex flex-col gap-3" aria-label="Waiting for you" role="region">
      {waiting.map((t) =>
        t.type === "approval" ? (
          <ApprovalCard key={t.id} room={room} task={t} />
        ) : (
          <QuestionCard key={t.id} room={room} task={t} />
        ),
      )}
    </div>
  );
}

function ApprovalCard({ room, task }: { room: Room; task: Task }) {
  const { can } = useWorkspace();
  const decide = useDecide(room.id);
  const [mode, setMode] = useState<"idle" | "rejecting">("idle");
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState<"approve" | "reject" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const covered = room.tasks.filter((t) => task.depends_on.includes(t.ordinal));
  const act = async (kind: "approve" | "reject") => {
    setBusy(kind);
    setError(null);
    try {
      const r = await decide(
        task.id,
        kind === "approve" ? { type: "approve" } : { type: "reject", comment },
      );
      toast.success(
        !r.applied
          ? "Someone already decided this"
          : kind === "approve"
            ? "Approved — the work continues"
            : "Rejected — the tasks run again with your comment",
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card className="border-warning/50">
      <CardHeader
        title={
          <>
            Approval needed: <bdi>{task.title}</bdi>
          </>
        }
        description={
          covered.length ? (
            <>
              Approve the output of{" "}
              {covered.map((t, i) => (
                <Fragment key={t.id}>
                  {i > 0 && ", "}&lsquo;<bdi>{t.title}</bdi>&rsquo;
                </Fragment>
              ))}{" "}
              to let the work continue.
            </>
          ) : (
            "Approve to let the work continue."
          )
        }
      />
      <CardBody className="flex flex-col gap-3">
        {covered.map(
          (t) =>
            t.output && (
              <details key={t.id} className="rounded-lg border border-border bg-bg px-4 py-2">
                <summary className="cursor-pointer text-sm font-medium">
                  Output of <bdi>{t.title}</bdi>
                </summary>
                <Markdown text={t.output} />
              </details>
            ),
        )}
        {can("workroom.write") && (
          <>
            {mode === "rejecting" && (
              <TextArea
                label="What should change?"
                hint="The tasks run once more with your comment, then ask again."
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                autoFocus
              />
            )}
            <div className="flex flex-wrap gap-2">
              {mode === "idle" ? (
                <>
                  <Button
                    variant="primary"
                    icon={<CheckCircle2 className="size-4" aria-hidden />}
                    busy={busy === "approve"}
                    onClick={() => void act("approve")}
                  >
                    Approve
                  </Button>
                  <Button
                    icon={<XCircle className="size-4" aria-hidden />}
                    onClick={() => setMode("rejecting")}
                  >
                    Reject…
                  </Button>
                </>
              ) : (
                <>
                  <Button
                    variant="danger"
                    busy={busy === "reject"}
                    disabled={!comment.trim()}
                    onClick={() => void act("reject")}
                  >
                    Reject with comment
                  </Button>
                  <Button variant="ghost" onClick={() => setMode("idle")}>
                    Back
                  </Button>
                </>
              )}
            </div>
          </>
        )}
        <ErrorNote error={error} />
      </CardBody>
    </Card>
  );
}

function QuestionCard({ room, task }: { room: Room; task: Task }) {
  const { can } = useWorkspace();
  const decide = useDecide(room.id);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await decide(task.id, { type: "answer", text });
      toast.success(r.applied ? "Answered — the work continues" : "Someone already answered this");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card className="border-warning/50">
      <CardHeader
        title={
          <>
            Question: <bdi>{task.title}</bdi>
          </>
        }
        description={
          <span dir="auto" className="block">
            {task.question ?? task.description}
          </span>
        }
      />
      <CardBody>
        {can("workroom.write") ? (
          <form className="flex flex-col gap-3" onSubmit={(e) => void submit(e)}>
            <TextArea
              label="Your answer"
              value={text}
              onChange={(e) => setText(e.target.value)}
              required
            />
            <Button
              type="submit"
              variant="primary"
              className="self-start"
              icon={<HelpCircle className="size-4" aria-hidden />}
              busy={busy}
              disabled={!text.trim()}
            >
              Send answer
            </Button>
            <ErrorNote error={error} />
          </form>
        ) : (
          <p className="text-sm text-muted">A member of the workspace answers this question.</p>
        )}
      </CardBody>
    </Card>
  );
}
