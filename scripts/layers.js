// The layers of src/, as ESLint enforces them (eslint.config.js) and CONTRIBUTING.md
// describes them: each folder lists the folders it may import; any other folder of
// src/ is off limits. Root files: errors.ts and package-root.ts import no folder,
// index.ts (the public API) and cli/ may import anything. Scenario modules under
// src/scenarios/<domain>/ are loaded by path, never imported.

/** @type {Readonly<Record<string, readonly string[]>>} folder → folders it may import */
export const LAYERS = {
  model: [],
  util: ['model'],
  redact: ['model', 'util'],
  plan: ['model', 'util'],
  stack: ['model', 'util', 'redact'],
  'scenarios/kit': ['model', 'util', 'stack'],
  scenarios: ['model', 'util', 'stack', 'scenarios/kit'],
  report: ['model', 'util', 'redact', 'plan', 'stack'],
  runner: ['model', 'util', 'redact', 'plan', 'stack', 'report', 'scenarios/kit'],
  merge: ['model', 'util', 'plan', 'report', 'runner'],
  cli: ['model', 'util', 'redact', 'plan', 'stack', 'report', 'runner', 'merge', 'scenarios/kit'],
};

/** gitignore-style patterns matching an import of `folder` from anywhere under src/. */
function patternsFor(folder) {
  // `scenarios` alone means the domain folders: the kit is a layer of its own.
  // (`scenarios/*/**`, not `scenarios/**`: an excluded folder could not have its kit re-included.)
  return folder === 'scenarios' ? ['**/scenarios/*/**', '!**/scenarios/kit/**'] : [`**/${folder}/**`];
}

function forbidden(folder) {
  const allowed = new Set([folder, ...LAYERS[folder]]);
  return Object.keys(LAYERS)
    .filter((other) => !allowed.has(other) && !(folder === 'scenarios/kit' && other === 'scenarios'))
    .map((other) => ({
      group: patternsFor(other),
      message: `src/${folder}/ may import only ${LAYERS[folder].map((name) => `src/${name}/`).join(', ') || 'its own files'} (and src/errors.ts); see CONTRIBUTING.md, Layers.`,
    }));
}

const NOT_REFERENCE = {
  group: ['**/reference/**'],
  message: 'src/ never imports reference/: the reference stack is a black box, started by path.',
};
// From src/scenarios/<domain>/: a sibling folder other than the kit is another domain's scenarios.
const NOT_ANOTHER_SCENARIO = {
  group: ['../*/**', '!../kit/**', '!../../**'],
  message:
    'A scenario module imports the kit (src/scenarios/kit/), never another scenario module; see CONTRIBUTING.md, Layers.',
};
const NOT_SRC = {
  group: ['**/src/**'],
  message: 'reference/ never imports src/: it is the system under test, not part of the runner.',
};

/** Flat-config blocks: one per layer, plus the two walls between src/ and reference/. */
export function boundaryConfigs() {
  const layerBlocks = Object.keys(LAYERS).map((folder) => ({
    files: folder === 'scenarios' ? ['src/scenarios/**/*.ts'] : [`src/${folder}/**/*.ts`],
    ...(folder === 'scenarios' ? { ignores: ['src/scenarios/kit/**'] } : {}),
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [NOT_REFERENCE, ...forbidden(folder), ...(folder === 'scenarios' ? [NOT_ANOTHER_SCENARIO] : [])] },
      ],
    },
  }));
  return [
    { files: ['src/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [NOT_REFERENCE] }] } },
    ...layerBlocks,
    {
      files: ['src/errors.ts', 'src/package-root.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              NOT_REFERENCE,
              { group: ['./*/**'], message: 'A root file below every layer imports no folder of src/.' },
            ],
          },
        ],
      },
    },
    { files: ['reference/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [NOT_SRC] }] } },
  ];
}
