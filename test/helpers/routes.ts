/** The routes of a built app, from Fastify's own router (printRoutes), for tests that sweep every route. */
import type { FastifyInstance } from 'fastify';

export interface Route {
  method: string;
  /** Fastify's form: /v1/campaigns/:id */
  path: string;
}

/** Every (method, path) of the router, read from printRoutes' tree (each level indents by 4). */
export function routesOf(app: FastifyInstance): Route[] {
  const stack: string[] = [];
  const out: Route[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const path = stack.join('').replace(/\/+/g, '/');
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) if (method) out.push({ method, path });
  }
  return out;
}

/** The OpenAPI spelling of a Fastify path: /v1/campaigns/{id}. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
