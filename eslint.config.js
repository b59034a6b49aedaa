// Lint: TypeScript rules and the layers of the house (docs/architecture.md); circles between
// modules (type-only imports included) are checked by `npm run lint:cycles` (dpdm). The layers,
// top to bottom:
//   worker.ts, server.ts, scripts/, app/ (composition root)
//   api/                  may not import activities/, app/, db/ or Prisma
//   workflows/            deterministic sandbox: @temporalio/workflow, domain/, itself; types of activities
//   activities/           may not import api/, app/, workflows/, or Prisma itself
//   services/             may not import api/, app/, activities/, workflows/
//   providers/, db/, lib/ may not import anything above them (and providers/ not db/ either)
//   config/               domain/ only
//   domain/               pure: only domain/ and an allow-list of pure libraries
//   web/                  the browser consoles: preact, preact-iso, uplot and itself; the server over HTTP only
import tseslint from 'typescript-eslint';

/** The folders of the project at any depth of `../` (an import that leaves the importing folder). */
const up = (folders) => `^(\\.\\./)+(${folders.join('|')})/`;

/** `no-restricted-imports` for one layer: each rule is [regex, message, allowTypeImports?]. */
function layer(files, ...rules) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: rules.map(([regex, message, allowTypeImports = false]) => ({ regex, message, allowTypeImports })) },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'generated/**', '.data/**', '.tools/**', 'tmp/**', 'dist/**', 'web/dist/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(
    ['workflows/**/*.ts'],
    [
      '^(?!@temporalio/workflow$|\\.\\./domain/|\\./).*',
      'Workflow code runs in the deterministic sandbox: import only @temporalio/workflow, ../domain/* and ./ (workflows/*). Use `import type` for activity types.',
      true,
    ],
  ),
  layer(
    ['domain/**/*.ts'],
    [
      '^(?!\\./|luxon$|zod$|date-holidays$|countries-and-timezones$|city-timezones$|libphonenumber-js(/max)?$|any-ascii$).*',
      'domain/ is pure rules: it imports only domain/ itself and the pure libraries luxon, zod, date-holidays, countries-and-timezones, city-timezones, libphonenumber-js and any-ascii.',
    ],
  ),
  layer(
    ['config/**/*.ts'],
    [
      up(['api', 'app', 'activities', 'services', 'workflows', 'providers', 'db', 'lib', 'generated', 'scripts']),
      'config/ reads the environment; it may import domain/ only.',
    ],
  ),
  layer(
    ['db/**/*.ts'],
    [
      up(['api', 'app', 'activities', 'services', 'workflows', 'providers', 'lib', 'scripts']),
      'db/ is below services: it may import domain/ and config/ only.',
    ],
  ),
  layer(
    ['providers/**/*.ts'],
    [
      up(['api', 'app', 'activities', 'services', 'workflows', 'db', 'generated', 'config', 'lib', 'scripts']),
      'providers/ are adapters behind ports: they take their base URL and credentials, and import only domain/ and each other.',
    ],
  ),
  layer(
    ['lib/**/*.ts'],
    [
      up(['api', 'app', 'activities', 'services', 'workflows', 'providers', 'db', 'scripts']),
      'lib/ is process plumbing (logger, Temporal binaries, schedules): domain/ and config/ only.',
    ],
  ),
  layer(
    ['services/**/*.ts'],
    [
      up(['api', 'app', 'activities', 'workflows', 'scripts']),
      'services/ are below activities and the API: they import db/, providers/ (ports), domain/.',
    ],
  ),
  layer(
    ['activities/**/*.ts'],
    [
      up(['api', 'app', 'workflows', 'scripts']),
      'activities/ are thin Temporal adapters over services/ and providers/; they never import the API, the composition root or workflows.',
    ],
    [up(['generated']), 'activities/ reach the database through services/ only.'],
    ['^(\\.\\./)+db/client(\\.js)?$', 'activities/ reach the database through services/ only.'],
  ),
  layer(
    ['api/**/*.ts'],
    [
      up(['activities', 'app', 'db', 'generated', 'scripts']),
      'api/ calls services/ (and workflows/contracts for typed signals and queries), never activities/, the composition root or the database itself.',
    ],
  ),
  layer(
    ['app/**/*.ts'],
    [up(['api', 'scripts']), 'app/ is the composition root: it builds the layers below; the API is built by server.ts from it.'],
    [up(['workflows']), 'app/ does not run workflow code.', true],
  ),
  layer(
    ['web/src/**/*.{ts,tsx}'],
    [
      '^(?!\\./|\\.\\./|preact(/hooks)?$|preact-iso$|uplot(/.*)?$).*',
      'web/ is the browser: it talks to the server only over the HTTP API; it imports itself, preact, preact-iso and uplot.',
    ],
    [
      up(['api', 'app', 'activities', 'services', 'workflows', 'providers', 'db', 'domain', 'config', 'lib', 'generated', 'scripts']),
      'web/ reaches the server over HTTP only.',
    ],
  ),
);
