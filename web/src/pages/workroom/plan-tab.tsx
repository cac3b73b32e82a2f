// The Plan tab: the dependency graph, then the tasks as a list (ordinal, title, agent, kind, live
// status, dependencies, credits, time) with each task's output behind a toggle.
import { ChevronDown, ListTodo } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "../../ui/button";
import { credits } from "../../ui/format";
import { Card, CardBody, CardHeader, EmptyState } from "../../ui/surface";
import { Markdown } from "./markdown";
import { PlanGraph } from "./plan-graph";
import type { Room, Task } from "./queries";
import { elapsed, KIND_LABEL, TaskStatusBadge } from "./task-status";

/** The clock for elapsed times of running tasks (a display tick, not a server poll). */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

export function PlanTab({ room }: { room: Room }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const now = useNow(room.tasks.some((t) => t.status === "running"));
  const agentName = (t: Task) => room.agents.find((a) => a.id === t.agent_id)?.name ?? "No agent";
  const toggle = (id: string, force?: boolean) =>
    setOpen((s) => {
      const next = new Set(s);
      if (force ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });

  if (room.tasks.length === 0)
    return (
      <EmptyState icon={ListTodo} title="No plan yet">
        {room.state === "draft"
          ? "Start the workroom and the Planner writes the plan: the tasks, who does each, and what depends on what."
          : room.state === "planning"
            ? "The Planner is writing the plan; its tasks appear here as soon as it is ready."
            : "This workroom has no plan."}
      </EmptyState>
    );

  const done = room.tasks.filter((t) => t.status === "succeeded").length;
  return (
    <div className="flex flex-col gap-4">
      <Card>
        <CardHeader
          title="Dependency graph"
          description={`${done} of ${room.tasks.length} tasks done. Arrows point from a task to the ones that wait for it.`}
        />
        <CardBody>
          <PlanGraph
            tasks={room.tasks}
            agentName={agentName}
            onOpen={(t) => {
              toggle(t.id, true);
              // Focus follows, so the output is what a screen reader reads next.
              requestAnimationFrame(() => {
                document.getElementById(`task-${t.id}`)?.scrollIntoView({ block: "center" });
                document.getElementById(`task-${t.id}-output`)?.focus({ preventScroll: true });
              });
            }}
          />
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Tasks"
          description="In execution order; independent tasks run in parallel."
        />
        <ol className="divide-y divide-border" aria-label="Tasks">
          {room.tasks.map((t) => (
            <TaskRow
              key={t.id}
              task={t}
              agent={agentName(t)}
              open={open.has(t.id)}
              onToggle={() => toggle(t.id)}
              time={elapsed(t, now)}
            />
          ))}
        </ol>
      </Card>
    </div>
  );
}

function TaskRow({
  task: t,
  agent,
  open,
  onToggle,
  time,
}: {
  task: Task;
  agent: string;
  open: boolean;
  onToggle: () => void;
  time: string | null;
}) {
  const panel = `task-${t.id}-output`;
  return (
    <li id={`task-${t.id}`} aria-label={`Task ${t.ordinal}: ${t.title}`} className="px-5 py-3">
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <span
          aria-hidden
          className="grid size-7 shrink-0 place-items-center rounded-full bg-surface-2 text-xs font-semibold text-muted"
        >
          {t.ordinal}
        </span>
        <div className="min-w-0 flex-1 basis-56">
          <div className="flex flex-wrap items-center gap-2">
            <h3 dir="auto" className="font-medium">
              {t.title}
            </h3>
            <TaskStatusBadge status={t.status} />
            {t.run > 1 && <span className="text-xs text-muted">run {t.run}</span>}
          </div>
          <p className="mt-0.5 text-xs text-muted">
            <bdi>{agent}</bdi> · {KIND_LABEL[t.type]}
            {t.depends_on.length > 0 && ` · after ${t.depends_on.map((o) => `#${o}`).join(", ")}`}
          </p>
        </div>
        <dl className="flex gap-5 text-xs">
          <div>
            <dt className="text-muted">Cost</dt>
            <dd className="font-medium tabular-nums">{credits(t.credits)}</dd>
          </div>
          <div>
            <dt className="text-muted">Time</dt>
            <dd className="font-medium tabular-nums">{time ?? "—"}</dd>
          </div>
        </dl>
        <Button
          size="sm"
          variant="ghost"
          aria-expanded={open}
          aria-controls={panel}
          onClick={onToggle}
          icon={
            <ChevronDown
              className={`size-4 transition-transform ${open ? "rotate-180" : ""}`}
              aria-hidden
            />
          }
        >
          {open ? "Hide output" : "Output"}
          <span className="sr-only"> of {t.title}</span>
        </Button>
      </div>
      {open && (
        <div
          id={panel}
          tabIndex={-1}
          aria-label={`Output of ${t.title}`}
          role="region"
          className="mt-3 ml-11 flex flex-col gap-2"
        >
          {t.description && (
            <p dir="auto" className="text-sm text-muted">
              {t.description}
            </p>
          )}
          {t.error && (
            <p
              dir="auto"
              className="rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-sm"
            >
              {t.error}
            </p>
          )}
          {t.output ? (
            <div className="rounded-lg border border-border bg-bg px-4 py-2">
              <Markdown text={t.output} />
            </div>
          ) : (
            <p className="text-sm text-muted">
              {t.status === "running"
                ? "Running — the output appears when the task finishes."
                : t.status === "pending"
                  ? "Not started yet."
                  : "No output."}
            </p>
          )}
        </div>
      )}
    </li>
  );
}
