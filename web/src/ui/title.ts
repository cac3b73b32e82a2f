// The browser tab's title, which is also the first thing a screen reader says on a new page: what
// the page is, then where it sits, then the app ("Outage · Workrooms · Atelya"). A room's own
// title may hold a dash, so the parts are joined with a middle dot.
import { useEffect } from "react";

export const APP_NAME = "Atelya";

/** Titles the tab while the page is shown, most specific part first; leaving resets it. */
export function usePageTitle(...parts: (string | null | undefined)[]): void {
  const title = [...parts.filter((p): p is string => Boolean(p?.trim())), APP_NAME].join(" · ");
  useEffect(() => {
    document.title = title;
  }, [title]);
  // A page that sets none (a signed-out screen) does not keep the last page's title.
  useEffect(
    () => () => {
      document.title = APP_NAME;
    },
    [],
  );
}
