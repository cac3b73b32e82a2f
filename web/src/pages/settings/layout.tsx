// The settings frame: the page title and a sub-navigation of sections (a column beside the
// section on a wide screen, a scrolling row above it on a phone). Sections a role cannot use are
// left out of the navigation; their pages say who can.
import {
  Building2,
  Cpu,
  Database,
  FileText,
  KeyRound,
  Users,
  Webhook,
  Wrench,
  type LucideIcon,
} from "lucide-react";
import { useEffect, useRef } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import type { Action } from "../../../../src/domain/roles";
import { useWorkspace } from "../../app/session";
import { cn } from "../../ui/cn";
import { Page } from "../../ui/surface";

export const SECTIONS: { path: string; label: string; icon: LucideIcon; needs?: Action }[] = [
  { path: "team", label: "Team", icon: Users },
  { path: "export", label: "Export profile", icon: FileText },
  { path: "models", label: "Models", icon: Cpu, needs: "settings.manage" },
  { path: "webhooks", label: "Webhooks", icon: Webhook, needs: "settings.manage" },
  { path: "api-keys", label: "API keys", icon: KeyRound, needs: "apikeys.manage_own" },
  { path: "plan", label: "Plan", icon: Building2 },
  { path: "tools", label: "Tools", icon: Wrench, needs: "settings.manage" },
  { path: "data", label: "Data", icon: Database, needs: "workspace.export" },
];

export function SettingsLayout() {
  const { can, workspace } = useWorkspace();
  const sections = SECTIONS.filter((s) => !s.needs || can(s.needs));
  const nav = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  // On a phone the row scrolls: keep the current section in sight.
  useEffect(() => {
    nav.current
      ?.querySelector('[aria-current="page"]')
      ?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname]);
  return (
    <Page
      title="Settings"
      description={`Everything about ${workspace.name} that is not a workroom.`}
    >
      <div className="flex flex-col gap-6 lg:flex-row lg:items-start">
        <nav
          ref={nav}
          aria-label="Settings"
          className="-mx-4 overflow-x-auto px-4 lg:sticky lg:top-6 lg:mx-0 lg:w-44 lg:shrink-0 lg:overflow-visible lg:px-0"
        >
          <ul className="flex gap-1 lg:flex-col">
            {sections.map(({ path, label, icon: Icon }) => (
              <li key={path} className="shrink-0">
                <NavLink
                  to={path}
                  className={({ isActive }) =>
                    cn(
                      "flex items-center gap-2 rounded-lg px-3 py-2 text-sm font-medium whitespace-nowrap",
                      isActive
                        ? "bg-primary/10 text-primary"
                        : "text-muted hover:bg-surface-2 hover:text-fg",
                    )
                  }
                >
                  <Icon className="size-4" aria-hidden />
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="flex min-w-0 flex-1 flex-col gap-6">
          <Outlet />
        </div>
      </div>
    </Page>
  );
}
