import { Compass } from "lucide-react";
import { ButtonLink } from "../ui/button";
import { EmptyState, Page } from "../ui/surface";
import { usePageTitle } from "../ui/title";

export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <Page title="Page not found">
      <EmptyState
        icon={Compass}
        title="There is nothing at this address"
        action={<ButtonLink to="/">Back to workrooms</ButtonLink>}
      >
        The link may be old, or the item was removed or belongs to another workspace.
      </EmptyState>
    </Page>
  );
}
