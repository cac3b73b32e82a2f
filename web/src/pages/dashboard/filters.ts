// The dashboard's state filter: the chips people pick from, each a set of workroom states, and
// how a chip reads in the address (`/?state=in_progress`).
import type { WorkroomState } from "../../ui/badge";

export interface StateFilter {
  id: string;
  label: string;
  /** Undefined: every state. */
  states?: WorkroomState[];
  /** What the empty list says under this filter. */
  none: string;
}

export const STATE_FILTERS: readonly StateFilter[] = [
  { id: "all", label: "All", none: "No workrooms yet" },
  {
    id: "in_progress",
    label: "In progress",
    states: ["planning", "executing", "composing", "awaiting_revision"],
    none: "Nothing is running right now",
  },
  { id: "paused", label: "Paused", states: ["paused"], none: "No paused workrooms" },
  { id: "draft", label: "Drafts", states: ["draft"], none: "No drafts" },
  { id: "completed", label: "Completed", states: ["completed"], none: "No completed workrooms" },
  { id: "failed", label: "Failed", states: ["failed"], none: "No failed workrooms" },
  { id: "cancelled", label: "Cancelled", states: ["cancelled"], none: "No cancelled workrooms" },
];

export const filterById = (id: string | null): StateFilter =>
  STATE_FILTERS.find((f) => f.id === id) ?? STATE_FILTERS[0]!;
