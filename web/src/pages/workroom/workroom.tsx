// The workroom detail (/workrooms/:id): the header with state, cost against the cap and deadline;
// the lifecycle controls the role and state allow; cards for tasks waiting on a person; and the
// Plan, Activity, Deliverable and Inputs tabs. Follows the room's live stream: progress appears
// without reload or polling, and a screen reader hears it (announcer.tsx).
import { ArrowLeft, SearchX } from "lucide-react";
import { Fragment, useState, type ReactNode } from "react";
import { useParams, useSearchParams } from "react-router";
import { ApiError } from "../../api/client";
import { useWorkroomStream } from "../../api/live";
import { StateBadge } from "../../ui/badge";
import { ButtonLink } from "../../ui/button";
import { cn } from "../../ui/cn";
import { credits, date, deadline } from "../../ui/format";
import { EmptyState, ErrorNote, Page, Skeleton } from "../../ui/surface";
import { usePageTitle } from "../../ui/title";
import { Tab, TabList, TabPanel, Tabs } from "../../ui/tabs";
import { ActivityTab } from "./activity-tab";
import { RoomAnnouncer } from "./announcer";
import { CapButton } from "./cap-dialog";
import { RoomControls } from "./controls";
import { DeliverablePanel } from "./deliverable/panel";
import { InputsTab } from "./inputs-tab";
import { stateNote } from "./lifecycle";
import { WaitingCards } from "./people-cards";
import { PlanTab } from "./plan-tab";
import { useRoom, type Room } from "./queries";
import { ScriptedNotice } from "../../app/scripted-notice";
import { useWorkspace } from "../../app/session";
import { isActiveState } from "../../../../src/domain/workroom";

const back = (
  <ButtonLink
    to="/"
    variant="ghost"
    size="sm"
    className="-ml-3 mb-1 text-muted"
    icon={<ArrowLeft className="size-4" aria-hidden />}
  >
    Workrooms
  </ButtonLink>
);

export function WorkroomPage() {
  const { id = "" } = useParams();
  useWorkroomStream(id);
  const room = useRoom(id);
  const gone = room.error instanceof ApiError && room.error.status === 404;
  usePageTitle(gone ? "Workroom not found" : (room.data?.title ?? "Workroom"), "Workrooms");

  if (room.isPending)
    return (
      <Page title={<Skeleton className="h-8 w-72" />} back={back}>
        <div role="status" aria-label="Loading the workroom" className="flex flex-col gap-4">
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-64 w-full" />
        </div>
      </Page>
    );
  // A failed refresh keeps the room on screen (the shell says the connection is lost); only a
  // room never loaded, or one the server says is gone, gives way to the error.
  if (room.data === undefined || gone) {
    if (gone)
      return (
        <Page title="Workroom not found" back={back}>
          <EmptyState
            icon={SearchX}
            title="There is no such workroom here"
            action={<ButtonLink to="/">Back to workrooms</ButtonLink>}
          >
            The link may be wrong, the workroom may belong to another workspace, or it was never
            created. Switch workspace if you expected it in another one.
          </EmptyState>
        </Page>
      );
    return (
      <Page title="Workroom" back={back}>
        <ErrorNote
          error={room.error}
          title="The workroom could not be loaded"
          retry={() => void room.refetch()}
        />
      </Page>
    );
  }
  const r = room.data;
  return (
    <Page
      title={r.title}
      back={back}
      description={<Parts parts={[r.client, r.goal]} />}
      actions={<RoomControls room={r} />}
    >
      <Summary room={r} />
      <RoomAnnouncer key={r.id} room={r} />
      <ScriptedNotice />
      <WaitingCards room={r} />
      <RoomTabs room={r}>
        <TabList label="Workroom">
          <Tab value="plan">Plan</Tab>
          <Tab value="activity">Activity</Tab>
          <Tab value="deliverable">Deliverable</Tab>
          <Tab value="inputs">Inputs</Tab>
        </TabList>
        <TabPanel value="plan">
          <PlanTab room={r} />
        </TabPanel>
        <TabPanel value="activity">
          <ActivityTab room={r} />
        </TabPanel>
        <TabPanel value="deliverable">
          <DeliverablePanel room={r} />
        </TabPanel>
        <TabPanel value="inputs">
          <InputsTab room={r} />
        </TabPanel>
      </RoomTabs>
    </Page>
  );
}

/** The client and the goal in one line, each isolated: an Arabic client beside an English goal
 *  keeps its own order instead of taking the separator and the goal's words with it. */
function Parts({ parts }: { parts: (string | null | undefined)[] }) {
  const shown = parts.filter((p): p is string => Boolean(p));
  if (shown.length === 0) return null;
  return shown.map((p, i) => (
    <Fragment key={i}>
      {i > 0 && " · "}
      <bdi>{p}</bdi>
    </Fragment>
  ));
}

const TABS = ["plan", "activity", "deliverable", "inputs"] as const;
type TabName = (typeof TABS)[number];
const isTab = (v: string | null): v is TabName => TABS.some((t) => t === v);

/**
 * The open tab lives in the address (`?tab=activity`), so a reload or a shared link opens it; the
 * room's usual tab (the deliverable once there is one, else the plan) keeps the address clean.
 * Switching replaces the history entry rather than adding one: the tabs are one page (arrow keys
 * switch them), and Back should leave the room, not step through every tab looked at.
 */
function RoomTabs({ room, children }: { room: Room; children: ReactNode }) {
  const [params, setParams] = useSearchParams();
  // Chosen once: the tab does not jump to Deliverable under someone reading the plan.
  const [usual] = useState<TabName>(() =>
    room.state === "completed" || room.state === "awaiting_revision" ? "deliverable" : "plan",
  );
  const asked = params.get("tab");
  const open = isTab(asked) ? asked : usual;
  const choose = (tab: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (tab === usual) next.delete("tab");
        else next.set("tab", tab);
        return next;
      },
      { replace: true },
    );
  return (
    <Tabs value={open} onValueChange={choose}>
      {children}
    </Tabs>
  );
}

const NOTE_TONE = {
  warning: "border-warning/40 bg-warning/10",
  danger: "border-danger/40 bg-danger/10",
  info: "border-info/30 bg-info/5",
} as const;

function Summary({ room }: { room: Room }) {
  const { can } = useWorkspace();
  const note = stateNote(room);
  const cap = room.max_credits;
  const share = cap ? Math.min(100, Math.round((room.credits_spent / cap) * 100)) : null;
  const due = room.deadline ? deadline(room.deadline) : null;
  return (
    <section
      aria-label="Status"
      className="flex flex-col gap-3 rounded-[var(--radius-card)] border border-border bg-surface px-5 py-4 shadow-sm"
    >
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <div>
          <dt className="text-xs text-muted">State</dt>
          <dd className="mt-1">
            <StateBadge state={room.state} />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Cost so far</dt>
          <dd className="mt-1 text-sm font-medium tabular-nums">
            {credits(room.credits_spent)}
            {cap !== null && <span className="font-normal text-muted"> of {credits(cap)} cap</span>}
            {share !== null && (
              <div
                role="progressbar"
                aria-label="Credits spent of the cap"
                aria-valuenow={share}
                aria-valuemin={0}
                aria-valuemax={100}
                className="mt-1.5 h-1.5 w-full max-w-40 overflow-hidden rounded-full bg-surface-2"
              >
                <div
                  className={cn(
                    "h-full rounded-full",
                    share >= 90 ? "bg-danger" : share >= 75 ? "bg-warning" : "bg-primary",
                  )}
                  style={{ width: `${share}%` }}
                />
              </div>
            )}
            {can("workroom.write") && isActiveState(room.state) && (
              <div>
                <CapButton room={room} />
              </div>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Deadline</dt>
          <dd className="mt-1 text-sm font-medium">
            {room.deadline ? (
              <>
                {date(`${room.deadline}T12:00:00Z`)}{" "}
                <span className={cn("font-normal", due?.late ? "text-danger" : "text-muted")}>
                  ({due?.text})
                </span>
              </>
            ) : (
              <span className="font-normal text-muted">None</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Round</dt>
          <dd className="mt-1 text-sm font-medium">
            {room.final_round > 0 ? (
              `Round ${room.final_round}`
            ) : (
              <span className="font-normal text-muted">No draft yet</span>
            )}
          </dd>
        </div>
      </dl>
      {note && (
        <p
          role={note.tone === "info" ? undefined : "status"}
          className={cn("rounded-lg border px-3 py-2 text-sm", NOTE_TONE[note.tone])}
        >
          {note.text}
        </p>
      )}
    </section>
  );
}
