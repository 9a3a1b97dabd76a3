/**
 * Every `--reporter` name, in the order help texts list them. A module of
 * its own so the CLI can name them without loading the reporters;
 * create-reporters.ts maps each to its factory.
 */
export const REPORTER_NAMES = ['list', 'dot', 'json', 'junit', 'github', 'html'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

export function isReporterName(name: string): name is ReporterName {
  return (REPORTER_NAMES as readonly string[]).includes(name);
}
