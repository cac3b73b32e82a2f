// Light or dark: the person's choice (kept in localStorage), else the system's.
import { useEffect, useState } from "react";

export type Theme = "light" | "dark";

export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() =>
    document.documentElement.classList.contains("dark") ? "dark" : "light",
  );
  useEffect(() => {
    document.documentElement.classList.toggle("dark", theme === "dark");
  }, [theme]);
  return [
    theme,
    (t) => {
      localStorage.setItem("atelya-theme", t);
      setTheme(t);
    },
  ];
}
