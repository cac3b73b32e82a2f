// The settings area's shared reads, one query key each, so every page that shows the same thing
// shares its cache and is refreshed by the same invalidation.
import { useQuery } from "@tanstack/react-query";
import { api, call, type Schemas } from "../../api/client";

export type Overview = Schemas["WorkspaceOverview"];

/** The plan, seats used and API access (GET /api/v1/workspace). */
export const useWorkspaceOverview = () =>
  useQuery({
    queryKey: ["workspace-overview"],
    queryFn: () => call(api.GET("/api/v1/workspace")),
  });

export const useMembers = () =>
  useQuery({ queryKey: ["members"], queryFn: () => call(api.GET("/api/v1/members")) });

export const seatsTaken = (o: Overview) => o.seats_used.members + o.seats_used.pending_invites;
export const seatsFull = (o: Overview) => o.max_users !== null && seatsTaken(o) >= o.max_users;
