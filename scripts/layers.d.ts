import type { Linter } from 'eslint';

/** Folder of src/ → the folders it may import. */
export const LAYERS: Readonly<Record<string, readonly string[]>>;
/** Flat-config blocks enforcing LAYERS and the walls between src/ and reference/. */
export function boundaryConfigs(): Linter.Config[];
