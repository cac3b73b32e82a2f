// The signed-in frame: navigation, workspace switcher, theme and sign-out around the page. On a
// phone the navigation folds into a menu. Signed out, it sends people to sign-in (or first-run
// set-up) and brings them back to where they were going.
import { useMutation } from "@tanstack/react-query";
import {
  BarChart3,
  Bot,
  Building2,
  Coins,
  LayoutDashboard,
  LogOut,
  Menu,
  Moon,
  Plus,
  Settings,
  Sun,
  WifiOff,
  X,
} from "lucide-react";
import { Dialog as D } from "radix-ui";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { Toaster } from "sonner";
import { api, call } from "../api/client";
import { useConnectionLost, useWorkspaceStream } from "../api/live";
import { Button, ButtonLink } from "../ui/button";
import { cn } from "../ui/cn";
import { focusLost, focusPageHeading } from "../ui/focus";
import { ErrorNote, Skeleton } from "../ui/surface";
import {
  useResetSession,
  useSession,
  useSetupStatus,
  useWorkspace,
  type SignInState,
} from "./session";
import { useTheme } from "./theme";

const NAV: { to: string; label: string; icon: typeof Bot; end?: boolean }[] = [
  { to: "/", label: "Workrooms", icon: LayoutDashboard, end: true },
  { to: "/agents", label: "Agents", icon: Bot },
  { to: "/credits", label: "Credits", icon: Coins },
  { to: "/insights", label: "Insights", icon: BarChart3 },
  { to: "/settings", label: "Settings", icon: Settings },
];

function Brand() {
  return (
    <div className="flex items-center gap-2 px-2 text-lg font-semibold tracking-tight">
      <span
        aria-hidden
        className="grid size-7 place-items-center rounded-lg bg-primary text-sm font-bold text-primary-fg"
      >
        A
      </span>
      Atelya
    </div>
  );
}

function WorkspaceSwitcher() {
  const { session, workspace } = useWorkspace();
  const reset = useResetSession();
  const navigate = useNavigate();
  const change = useMutation({
    mutationFn: (workspace_id: string) =>
      call(api.PUT("/api/v1/session/workspace", { body: { workspace_id } })),
    onSuccess: async (next) => {
      await reset(next);
      void navigate("/");
    },
  });
  if (session.workspaces.length < 2)
    return (
      <div className="flex items-center gap-2 px-2 text-sm text-muted">
        <Building2 className="size-4" aria-hidden />
        <span className="truncate">{workspace.name}</span>
      </div>
    );
  return (
    <div className="flex flex-col gap-1 px-2">
      <label htmlFor="workspace-switcher" className="text-xs font-medium text-muted">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        className="rounded-lg border border-border bg-surface px-2 py-1.5 text-sm"
        value={workspace.id}
        disabled={change.isPending}
        onChange={(e) => change.mutate(e.target.value)}
      >
        {session.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({w.role})
          </option>
        ))}
      </select>
      <ErrorNote error={change.error} />
    </div>
  );
}

function Nav({ onNavigate }: { onNavigate?: () => void }) {
  const { can } = useWorkspace();
  return (
    <nav aria-label="Main" className="flex flex-col gap-1">
      {can("workroom.write") && (
        <ButtonLink
          to="/workrooms/new"
          variant="primary"
          className="mb-3 w-full"
          icon={<Plus className="size-4" aria-hidden />}
          onClick={onNavigate}
        >
          New workroom
        </ButtonLink>
      )}
      {NAV.map(({ to, label, icon: Icon, end }) => (
        <NavLink
          key={to}
          to={to}
          end={end}
          onClick={onNavigate}
          className={({ isActive }) =>
            cn(
              "flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium",
              isActive
                ? "bg-primary/10 text-primary"
                : "text-muted hover:bg-surface-2 hover:text-fg",
            )
          }
        >
          <Icon className="size-4" aria-hidden />
          {label}
        </NavLink>
      ))}
    </nav>
  );
}

function UserBox() {
  const { session } = useWorkspace();
  const [theme, setTheme] = useTheme();
  const reset = useResetSession();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => call(api.DELETE("/api/v1/session")),
    onSuccess: async () => {
      await reset(null);
      void navigate("/sign-in");
    },
  });
  return (
    <div className="flex flex-col gap-2 border-t border-border pt-3">
      <div className="min-w-0 px-2">
        <p className="truncate text-sm font-medium">{session.user.name}</p>
        <p className="truncate text-xs text-muted">{session.user.email}</p>
      </div>
      <div className="flex gap-1">
        <Button
          variant="ghost"
          size="sm"
          onClick={() => setTheme(theme === "dark" ? "light" : "dark")}
          icon={
            theme === "dark" ? (
              <Sun className="size-4" aria-hidden />
            ) : (
              <Moon className="size-4" aria-hidden />
            )
          }
        >
          {theme === "dark" ? "Light" : "Dark"} theme
        </Button>
        <Button
          variant="ghost"
          size="sm"
          busy={signOut.isPending}
          onClick={() => signOut.mutate()}
          icon={<LogOut className="size-4" aria-hidden />}
        >
          Sign out
        </Button>
      </div>
      <ErrorNote error={signOut.error} />
    </div>
  );
}

function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <div className="flex h-full flex-col gap-5 p-4">
      <Brand />
      <WorkspaceSwitcher />
      <Nav onNavigate={onNavigate} />
      <div className="mt-auto">
        <UserBox />
      </div>
    </div>
  );
}

function MobileMenu() {
  const [open, setOpen] = useState(false);
  return (
    <D.Root open={open} onOpenChange={setOpen}>
      <D.Trigger asChild>
        <Button variant="ghost" size="sm" aria-label="Open menu">
          <Menu className="size-5" aria-hidden />
        </Button>
      </D.Trigger>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <D.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] border-r border-border bg-surface shadow-xl"
        >
          <D.Title className="sr-only">Menu</D.Title>
          <D.Close asChild>
            <Button
              variant="ghost"
              size="sm"
              aria-label="Close menu"
              className="absolute top-3 right-3"
            >
              <X className="size-4" aria-hidden />
            </Button>
          </D.Close>
          <Sidebar onNavigate={() => setOpen(false)} />
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

/**
 * Follows the workspace's stream, and says so politely while the server is out of reach: the
 * page keeps what it shows and catches up when the server answers again. The live region stays
 * in the page so the change is announced.
 */
function Live() {
  const lost = useConnectionLost(useWorkspaceStream());
  return (
    <div aria-live="polite">
      {lost && (
        <p
          role="status"
          className="flex items-center gap-2 border-b border-warning/40 bg-warning/15 px-4 py-2 text-sm"
        >
          <WifiOff className="size-4 shrink-0" aria-hidden />
          <span>
            <strong className="font-semibold">Connection lost — reconnecting…</strong> What you see
            may be out of date; it catches up by itself when the server answers again.
          </span>
        </p>
      )}
    </div>
  );
}

/**
 * On a new page, focus moves to its heading, as a page load would put a screen reader at the top
 * of the new page; otherwise focus stays on the link that is gone or in the navigation, and the
 * next Tab starts over. A control inside the page that is still there keeps focus (a settings
 * section's own navigation), and so does the first page the app opens with.
 */
function useFocusOnNewPage() {
  const { pathname } = useLocation();
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    const active = document.activeElement;
    const main = document.getElementById("main");
    if (!focusLost() && active !== main && main?.contains(active)) return;
    focusPageHeading();
  }, [pathname]);
}

export function AppShell() {
  useFocusOnNewPage();
  return (
    <div className="flex min-h-dvh">
      <a
        href="#main"
        className="sr-only z-50 rounded-lg bg-surface px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 hidden h-dvh w-64 shrink-0 border-r border-border bg-surface lg:block">
        <Sidebar />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex items-center gap-2 border-b border-border bg-surface/95 px-3 py-2 backdrop-blur lg:hidden">
          <MobileMenu />
          <Brand />
        </header>
        <Live />
        {/* tabIndex -1: "Skip to content" moves focus here, so the next Tab is in the page. */}
        <main id="main" tabIndex={-1} className="flex-1 focus:outline-none">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

/** The session gate of every signed-in page. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const setup = useSetupStatus();
  const location = useLocation();
  // Whether this gate let someone in: if the server then says nobody is signed in, their session
  // ended under them (expired, signed out elsewhere), and sign-in says so. (Signing out here
  // leaves for sign-in itself before the gate hears of it.)
  const admitted = useRef(false);
  if (session.data) admitted.current = true;
  if (session.isPending || (session.data === null && setup.isPending))
    return (
      <div role="status" aria-label="Loading" className="mx-auto flex max-w-3xl flex-col gap-4 p-8">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-32 w-full" />
      </div>
    );
  if (session.data === undefined)
    return (
      <div className="mx-auto max-w-xl p-8">
        <ErrorNote
          error={session.error}
          title="Atelya could not load"
          retry={() => void session.refetch()}
        />
      </div>
    );
  if (!session.data) {
    if (setup.data?.setup_needed) return <Navigate to="/setup" replace />;
    const next = location.pathname + location.search;
    const state: SignInState | undefined = admitted.current ? { sessionEnded: true } : undefined;
    return (
      <Navigate
        to={next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`}
        state={state}
        replace
      />
    );
  }
  if (session.data.workspaces.length === 0) return <Navigate to="/no-workspace" replace />;
  return children;
}

export function Toasts() {
  const [theme] = useTheme();
  return <Toaster theme={theme} position="bottom-right" closeButton />;
}
