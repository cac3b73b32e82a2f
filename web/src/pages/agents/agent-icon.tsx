// An agent's icon on its own colour: the icon names the builder offers (lucide icons) and the tile
// that shows them in the list and the builder. An unknown name (set over the API) shows a bot.
import {
  BarChart3,
  Bot,
  Briefcase,
  Calculator,
  Code,
  FileText,
  Globe,
  Lightbulb,
  Mail,
  Megaphone,
  Palette,
  PenLine,
  Scale,
  Search,
  ShieldCheck,
  Sparkles,
  Target,
  Users,
  type LucideIcon,
} from "lucide-react";
import { cn } from "../../ui/cn";

export const AGENT_ICONS: Record<string, { icon: LucideIcon; label: string }> = {
  sparkles: { icon: Sparkles, label: "Sparkles" },
  bot: { icon: Bot, label: "Bot" },
  "pen-line": { icon: PenLine, label: "Pen" },
  search: { icon: Search, label: "Search" },
  "bar-chart": { icon: BarChart3, label: "Chart" },
  briefcase: { icon: Briefcase, label: "Briefcase" },
  megaphone: { icon: Megaphone, label: "Megaphone" },
  lightbulb: { icon: Lightbulb, label: "Light bulb" },
  "file-text": { icon: FileText, label: "Document" },
  scale: { icon: Scale, label: "Scales" },
  calculator: { icon: Calculator, label: "Calculator" },
  globe: { icon: Globe, label: "Globe" },
  palette: { icon: Palette, label: "Palette" },
  users: { icon: Users, label: "People" },
  target: { icon: Target, label: "Target" },
  "shield-check": { icon: ShieldCheck, label: "Shield" },
  code: { icon: Code, label: "Code" },
  mail: { icon: Mail, label: "Mail" },
};

/** Colours offered as swatches; any hex value can be typed too. */
export const AGENT_COLORS = [
  "#6366f1",
  "#8b5cf6",
  "#ec4899",
  "#ef4444",
  "#f97316",
  "#eab308",
  "#22c55e",
  "#14b8a6",
  "#0ea5e9",
  "#64748b",
];

const HEX = /^#[0-9a-fA-F]{6}$/;

export function AgentIcon({
  icon,
  color,
  size = "md",
}: {
  icon: string;
  color: string;
  size?: "sm" | "md" | "lg";
}) {
  const Icon = AGENT_ICONS[icon]?.icon ?? Bot;
  return (
    <span
      aria-hidden
      className={cn(
        "grid shrink-0 place-items-center rounded-xl text-white shadow-sm",
        size === "sm" && "size-8",
        size === "md" && "size-10",
        size === "lg" && "size-12",
      )}
      // The agent's own colour is data, not a theme colour.
      style={{ backgroundColor: HEX.test(color) ? color : "#64748b" }}
    >
      <Icon className={size === "lg" ? "size-6" : size === "md" ? "size-5" : "size-4"} />
    </span>
  );
}
