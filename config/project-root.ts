/**
 * The project's root folder (the one holding package.json), found from this file's own place, so
 * the same code finds prisma/, scripts/ and .data/ whether it runs from source (tsx, the tests)
 * or compiled into dist/ (`npm start`, `npm run worker`, the Docker image).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
