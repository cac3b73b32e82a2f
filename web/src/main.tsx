import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { ApiError, onUnauthorized } from "./api/client";
import { router } from "./app/routes";
import { confirmSession } from "./app/session";
import { Toasts } from "./app/shell";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Live updates come from the SSE streams; refetching on focus only catches what a sleeping
      // laptop missed. Errors a retry cannot fix (4xx) are shown at once.
      staleTime: 10_000,
      retry: (count, e) =>
        !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 2,
      // Tried even when the browser says it is offline (a server on this machine still answers):
      // a read that cannot reach the server fails with words, instead of waiting unseen.
      networkMode: "always",
    },
    mutations: {
      // A write is sent when the person presses, or never: offline it fails at once with the
      // words for that, instead of waiting paused and going out by itself on reconnect (a
      // revision round started and charged with nobody pressing anything).
      networkMode: "always",
    },
  },
});

// A 401 to any call may mean the session ended (expired, signed out elsewhere): ask, and the
// session gate sends the person to sign-in if it did.
onUnauthorized(() => confirmSession(queryClient));

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
      <Toasts />
    </QueryClientProvider>
  </StrictMode>,
);
