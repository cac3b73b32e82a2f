// The route table of /api/v1: one module per resource. The OpenAPI document and the isolation
// matrix test are generated from this list.
import type { Route } from "../route.js";
import { routes as eventStreamRoutes } from "./events-stream.js";
import { openApiRoute, systemRoutes } from "./system.js";

const RESOURCES: readonly Route[] = [...systemRoutes, ...eventStreamRoutes];

export const API_ROUTES: readonly Route[] = [...RESOURCES, openApiRoute(() => API_ROUTES)];
