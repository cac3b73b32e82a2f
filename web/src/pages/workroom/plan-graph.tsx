// The plan as a dependency graph: tasks in columns by dependency depth (a task sits one column
// right of its deepest dependency; dependencies point only to earlier ordinals, so one pass in
// ordinal order lays it out), arrows from each dependency, the live status as colour and words.
// Every node is focusable and named, and opens the task in the list.
import { useMemo, type KeyboardEvent } from "react";
import { estimateWidth, fitLabel } from "./graph-label";
import type { Task } from "./queries";
import { NODE_CLASS, STATUS_LABEL } from "./task-status";

const W = 168;
const H = 58;
const GAP_X = 44;
const GAP_Y = 18;
const PAD = 12;
/** Where each line of a node's text starts, and the room it has before the node's right edge. */
const TITLE_X = 26;
const STATUS_X = 14;
const RIGHT_MARGIN = 10;

interface Placed {
  task: Task;
  x: number;
  y: number;
}

export function layout(tasks: readonly Task[]): { nodes: Placed[]; width: number; height: number } {
  const depth = new Map<number, number>();
  for (const t of [...tasks].sort((a, b) => a.ordinal - b.ordinal))
    depth.set(
      t.ordinal,
      t.depends_on.reduce((d, o) => Math.max(d, (depth.get(o) ?? -1) + 1), 0),
    );
  const columns: Task[][] = [];
  for (const t of tasks) (columns[depth.get(t.ordinal) ?? 0] ??= []).push(t);
  // Within a column, order by where the dependencies sit (fewer crossing arrows), then ordinal.
  const row = new Map<number, number>();
  for (const column of columns) {
    if (!column) continue;
    const centre = (t: Task) =>
      t.depends_on.length
        ? t.depends_on.reduce((s, o) => s + (row.get(o) ?? 0), 0) / t.depends_on.length
        : t.ordinal;
    column.sort((a, b) => centre(a) - centre(b) || a.ordinal - b.ordinal);
    column.forEach((t, i) => row.set(t.ordinal, i));
  }
  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const height = PAD * 2 + tallest * H + (tallest - 1) * GAP_Y;
  const nodes: Placed[] = [];
  columns.forEach((column, d) => {
    if (!column) return;
    const own = column.length * H + (column.length - 1) * GAP_Y;
    const top = (height - own) / 2;
    column.forEach((task, i) =>
      nodes.push({ task, x: PAD + d * (W + GAP_X), y: top + i * (H + GAP_Y) }),
    );
  });
  const width = PAD * 2 + columns.length * W + Math.max(0, columns.length - 1) * GAP_X;
  return { nodes, width, height };
}

/**
 * Measures text as the page draws it (a canvas with the page's font), or estimates it where the
 * browser has no canvas.
 */
function textMeasurer(font: { size: number; weight: number }): (s: string) => number {
  const context =
    typeof document === "undefined" ? null : document.createElement("canvas").getContext("2d");
  if (!context) return (s) => estimateWidth(s, font.size);
  context.font = `${font.weight} ${font.size}px ${getComputedStyle(document.body).fontFamily}`;
  return (s) => context.measureText(s).width;
}

export function PlanGraph({
  tasks,
  agentName,
  onOpen,
}: {
  tasks: readonly Task[];
  agentName: (t: Task) => string;
  onOpen: (t: Task) => void;
}) {
  const { nodes, width, height } = layout(tasks);
  // The sizes of the two text lines below (text-[13px] font-medium, text-[11px]).
  const titleWidth = useMemo(() => textMeasurer({ size: 13, weight: 500 }), []);
  const statusWidth = useMemo(() => textMeasurer({ size: 11, weight: 400 }), []);
  const at = new Map(nodes.map((n) => [n.task.ordinal, n]));
  const key = (t: Task) => (e: KeyboardEvent) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onOpen(t);
    }
  };
  return (
    <div className="overflow-x-auto">
      <svg
        width={width}
        height={height}
        // Shrinks a little to fit a wide plan on a laptop; a phone scrolls instead.
        style={{ width: `clamp(${Math.round(width * 0.78)}px, 100%, ${width}px)`, height: "auto" }}
        viewBox={`0 0 ${width} ${height}`}
        role="group"
        aria-label="Dependency graph of the plan"
        className="text-muted"
      >
        <defs>
          <marker
            id="plan-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0 0 L10 5 L0 10 z" fill="currentColor" />
          </marker>
        </defs>
        {nodes.flatMap(({ task, x, y }) =>
          task.depends_on.map((o) => {
            const from = at.get(o);
            if (!from) return null;
            const x1 = from.x + W;
            const y1 = from.y + H / 2;
            const x2 = x - 2;
            const y2 = y + H / 2;
            const bend = (x2 - x1) / 2;
            return (
              <path
                key={`${o}-${task.ordinal}`}
                d={`M${x1} ${y1} C${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`}
                fill="none"
                stroke="currentColor"
                strokeOpacity={0.55}
                strokeWidth={1.5}
                markerEnd="url(#plan-arrow)"
              />
            );
          }),
        )}
        {nodes.map(({ task, x, y }) => {
          const look = NODE_CLASS[task.status];
          const after = task.depends_on.length
            ? ` Depends on ${task.depends_on.map((o) => `task ${o}`).join(", ")}.`
            : "";
          return (
            <g
              key={task.id}
              role="button"
              tabIndex={0}
              data-status={task.status}
              data-ordinal={task.ordinal}
              className="group cursor-pointer outline-none"
              onClick={() => onOpen(task)}
              onKeyDown={key(task)}
            >
              {/* The node's accessible name (and tooltip): its words in full, as the text is clipped. */}
              <title>{`${task.ordinal}. ${task.title}: ${STATUS_LABEL[task.status]}, ${agentName(task)}.${after}`}</title>
              <rect
                x={x - 3}
                y={y - 3}
                width={W + 6}
                height={H + 6}
                rx={12}
                className="fill-none stroke-ring opacity-0 group-focus-visible:opacity-100"
                strokeWidth={2}
              />
              {/* An opaque base, so arrows passing behind a tinted node stay hidden. */}
              <rect x={x} y={y} width={W} height={H} rx={10} className="fill-surface" />
              <rect
                x={x}
                y={y}
                width={W}
                height={H}
                rx={10}
                strokeWidth={1.5}
                className={`${look.box} transition-colors group-hover:stroke-primary`}
              />
              <circle cx={x + 14} cy={y + 19} r={4.5} className={look.dot} />
              <text x={x + TITLE_X} y={y + 23} className="fill-fg text-[13px] font-medium">
                {fitLabel(`${task.ordinal}. ${task.title}`, W - TITLE_X - RIGHT_MARGIN, titleWidth)}
              </text>
              <text x={x + STATUS_X} y={y + 43} className="fill-muted text-[11px]">
                {fitLabel(
                  `${STATUS_LABEL[task.status]} · ${agentName(task)}`,
                  W - STATUS_X - RIGHT_MARGIN,
                  statusWidth,
                )}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
