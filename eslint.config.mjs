// ESLint for the engine: typescript-eslint's recommended sets with type information, and the
// layers of ../shared/STYLE.md ("each using only those below it") as import rules.
//
// Why the layers are plain `@typescript-eslint/no-restricted-imports` patterns, and not
// eslint-plugin-import-x's `no-restricted-paths` zones or eslint-plugin-boundaries:
// - two of the arrows are "types only": a workflow may `import type` anything (it reaches activities
//   through `proxyActivities<typeof activities>`), and api/ may take activities' types. That rule
//   alone honours `allowTypeImports`; import-x's zones cannot tell `import type` from `import`, so
//   a second mechanism would be needed for exactly the arrows that matter most.
// - it needs no module resolver: a pattern reads the import as written, so it works on a file that
//   has just moved, on an import of a file that does not exist yet, and on the test's virtual paths
//   (zones skip whatever does not resolve).
// - it is one rule already installed with typescript-eslint: nothing more to keep up to date.
// Its one weakness, that a relative pattern does not know where the importing file sits (from
// activities/carriers/x.ts, `../carriers` is activities/carriers, not the connectors), is closed
// by generating the patterns per folder depth: a file N folders down leaves its layer with exactly
// N `../`, so the pattern names the top-level folder it lands in. Imports are relative everywhere
// (tsconfig has no path aliases), so that is every import of our own code.
// It does not see `require()` or `import()`; the code uses neither for its own modules.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// ---------------------------------------------------------------------------------------------
// The layers. Production folders may never import these (sandbox/ is the carriers' test double).
const NEVER = ['test', 'bench', 'chaos', 'demo', 'deploy', 'sandbox'];
// Connector homes: each imports itself, domain/ and lib/ (storefronts/ and marketplaces/ to come).
const CONNECTORS = ['carriers', 'storefronts', 'marketplaces'];
const MAX_DEPTH = 6; // folders below a layer's top; deeper files would go unchecked

/** What each production folder may import of ours. `allow`: only these top-level folders (its own
 *  always included); `deny`: everything but these. `typesFrom`: folders it may take `import type`
 *  from despite the rest ('*' for any folder outside NEVER). */
const LAYERS = {
  domain: { allow: ['domain'], why: 'domain/ is shapes and pure decisions: it imports nothing of ours outside domain/' },
  lib: { allow: ['lib', 'domain'], why: 'lib/ imports only lib/ and domain/ (no feature)' },
  ...Object.fromEntries(
    CONNECTORS.map((c) => [c, { allow: [c, 'domain', 'lib'], why: `${c}/ is protocol mapping: it imports only ${c}/, domain/ and lib/` }]),
  ),
  workflows: {
    allow: ['workflows', 'domain'],
    typesFrom: '*',
    why: 'workflows/ run in the deterministic sandbox: only workflows/ and domain/ (anything else as `import type`)',
  },
  activities: {
    deny: ['api', 'workers'],
    why: 'activities/ never import api/ or workers/; of workflows/ only the shared names (workflows/definitions)',
  },
  api: {
    deny: ['workers', 'activities'],
    typesFrom: ['activities'],
    why: 'api/ never imports workers/, nor activities/ (except `import type`); of workflows/ only the shared names (workflows/definitions)',
  },
  workers: { deny: [], why: 'workers/ wire everything' },
};

const re = (names) => `(?:${names.join('|')})(?:/|$)`;
const up = (depth) => `^(?:\\.\\./){${depth}}`;

// A path with a `.` segment inside it or a `..` after a folder name (`./../api`, `x/../../api`) would
// slip past patterns that read the import as written: such paths are refused outright.
const UNNORMALIZED = String.raw`^\./\.\.(?:/|$)|/\.(?:/|$)|(?:^|/)(?!\.\.(?:/|$))[^/]+/\.\.(?:/|$)`;
// api/ and activities/ take the names the workflows share (task queues, ids, signals, updates) and
// nothing else of workflows/ at run time: the process code itself belongs to the worker.
const WORKFLOW_CODE = (depth) => `${up(depth)}workflows/(?!definitions$)`;

/** The no-restricted-imports patterns for a file `depth` folders below the top of `layer`. */
function layerPatterns(layer, depth) {
  const { allow, deny, typesFrom, why } = LAYERS[layer];
  const patterns = [
    { regex: UNNORMALIZED, message: 'write the import path normalized (no `./..`, no `folder/..`): the layer rules read it as written.' },
    {
      regex: `${up(depth)}${re(NEVER)}`,
      message: `production code never imports ${NEVER.join('/, ')}/ (tests, tools, the carriers' sandbox).`,
    },
  ];
  if (layer === 'api' || layer === 'activities') patterns.push({ regex: WORKFLOW_CODE(depth), message: why, allowTypeImports: true });
  if (allow) {
    const outside = `${up(depth)}(?!${re([...allow, ...NEVER])})`;
    patterns.push({ regex: outside, message: why, allowTypeImports: typesFrom === '*' });
  } else {
    const typeOnly = typesFrom ?? [];
    const hard = deny.filter((d) => !typeOnly.includes(d));
    if (hard.length) patterns.push({ regex: `${up(depth)}${re(hard)}`, message: why });
    if (typeOnly.length) patterns.push({ regex: `${up(depth)}${re(typeOnly)}`, message: why, allowTypeImports: true });
  }
  return patterns;
}

// Workflows: Node built-ins are neither deterministic nor in the workflow bundle (as in Temporal's
// samples); of the packages only the workflow SDK and its common types are bundled.
const BUILTINS = builtinModules.filter((m) => !m.startsWith('_'));
const BUILTIN_NAMES = [...BUILTINS, ...BUILTINS.map((m) => `node:${m}`)];
const workflowImports = {
  paths: BUILTIN_NAMES.map((name) => ({
    name,
    message: 'Node built-ins are not deterministic and not in the workflow bundle: do it in an activity (types may be imported).',
    allowTypeImports: true,
  })),
  extraPatterns: [
    {
      regex: `^(?![./])(?!@temporalio/(?:workflow|common)(?:/|$))(?!(?:node:)?${re(BUILTINS)})`,
      message: 'workflows/ import only @temporalio/workflow and @temporalio/common at run time (other packages as `import type`).',
      allowTypeImports: true,
    },
  ],
};

function layerConfigs() {
  const configs = [];
  for (const layer of Object.keys(LAYERS)) {
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      const patterns = layerPatterns(layer, depth);
      const isWorkflow = layer === 'workflows';
      // domain/ is imported by workflows at run time, so it keeps their rule on Node built-ins.
      const builtinsBanned = isWorkflow || layer === 'domain';
      configs.push({
        name: `layers/${layer}/depth-${depth}`,
        files: [`${layer}/${'*/'.repeat(depth - 1)}*.ts`],
        rules: {
          '@typescript-eslint/no-restricted-imports': [
            'error',
            {
              paths: builtinsBanned ? workflowImports.paths : [],
              patterns: isWorkflow ? [...patterns, ...workflowImports.extraPatterns] : patterns,
            },
          ],
        },
      });
    }
  }
  return configs;
}

// ---------------------------------------------------------------------------------------------
export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'coverage/'] },
  js.configs.recommended,
  {
    name: 'typescript',
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Reported, as in Temporal's samples: a promise nobody awaits in a workflow or an activity
      // is a step that silently does not happen (or fails unseen). `void p` says "on purpose".
      '@typescript-eslint/no-floating-promises': 'error',
      // Express handlers and event listeners returning promises: a rejection there is unhandled.
      '@typescript-eslint/no-misused-promises': 'error',
      // tsc already reports unused locals and parameters (noUnusedLocals/noUnusedParameters);
      // this rule would report the same lines a second time. `_`-prefixed names are the escape.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Off: an adapter or codec implements a Promise-returning interface (CarrierAdapter.quote,
      // PayloadCodec.encode…) with an `async` method that happens not to await; `async` is what
      // turns its throws into rejections, which is the point, not a slip.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Off in tests and tools only: they assert on parsed JSON (`res.body`, `JSON.parse`) as `any`
    // on purpose, and typing every response there would be ceremony (about 300 findings). In the
    // production folders these rules stay: an `any` there is an untyped pg row or request body.
    name: 'tests and tools: JSON as any',
    files: ['{test,bench,chaos,demo,deploy,sandbox}/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    name: 'javascript',
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    name: 'dashboard (browser script)',
    files: ['api/dashboard/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...layerConfigs(),
  // Last: turn off every rule that Prettier's formatting would fight.
  prettier,
);
