// Light or dark: the person's choice (kept in localStorage), else the system's. The `dark` class on
// <html> is the one source of truth; every reader (the theme button, the toasts) follows it.
import { useSyncExternalStore } from "react";

export type Theme = "light" | "dark";

const root = () => document.documentElement;
const read = (): Theme => (root().classList.contains("dark") ? "dark" : "light");

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(root(), { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}

export function setTheme(t: Theme): void {
  localStorage.setItem("atelya-theme", t);
  root().classList.toggle("dark", t === "dark");
}

export function useTheme(): [Theme, (t: Theme) => void] {
  return [useSyncExternalStore(subscribe, read), setTheme];
}
