// The credit queries the dashboard and the credits screen share. Their keys start with "credits"
// so the workspace stream's model calls and state changes refresh them.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, call } from "../../api/client";

export const creditKeys = {
  balance: ["credits"] as const,
  ledger: ["credits", "ledger"] as const,
  byWorkroom: ["credits", "by-workroom"] as const,
};

export function useBalance() {
  return useQuery({
    queryKey: creditKeys.balance,
    queryFn: () => call(api.GET("/api/v1/credits")),
  });
}

export const LEDGER_PAGE = 25;

export function useLedger() {
  return useInfiniteQuery({
    queryKey: creditKeys.ledger,
    queryFn: ({ pageParam }) =>
      call(
        api.GET("/api/v1/credits/ledger", {
          params: {
            query: {
              limit: LEDGER_PAGE,
              ...(pageParam !== undefined ? { before: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
}

export function useWorkroomCosts() {
  return useQuery({
    queryKey: creditKeys.byWorkroom,
    queryFn: () => call(api.GET("/api/v1/credits/by-workroom")),
  });
}
