// Where keyboard focus goes when what had it is gone. A button an action removes (Start becomes
// Pause) or disables while it runs drops focus to <body>, and a new page does not move it at all:
// either way the next Tab starts over at "Skip to content". The page's heading takes focus from
// code (not from Tab) so focus can land somewhere that says where the person is.

/** The page's main heading, focusable from code (`Page` gives it tabIndex -1). */
export function focusPageHeading(): void {
  const heading = document.querySelector<HTMLElement>("main h1");
  if (heading) heading.focus();
  else document.querySelector<HTMLElement>("main")?.focus();
}

/** Whether focus is nowhere in particular: on <body>, or on an element no longer on the page. */
export function focusLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

/**
 * After an action started from `control`: once the page has redrawn, if focus fell to <body>,
 * puts it back on the control when it is still there and enabled, else on `fallback` (the page's
 * heading unless said). Focus the person moved meanwhile stays where they put it.
 */
export function refocusAfterAction(
  control: Element | null,
  fallback: () => HTMLElement | null = () => null,
): void {
  requestAnimationFrame(() => {
    if (!focusLost()) return;
    const usable =
      control instanceof HTMLElement && control.isConnected && !control.matches(":disabled");
    const target = usable ? control : fallback();
    if (target) target.focus();
    else focusPageHeading();
  });
}
