/** The shared `sdk_type_mapping` fixture: its `samples` table holds one column of every schema type. */

/**
 * One valid value per required column of `samples`, each in the JSON form
 * project-files.md documents for its type (strings for bigint, decimal,
 * timestamp, bytes and file).
 */
export const SAMPLE_ROW: Readonly<Record<string, unknown>> = {
  title: 'typed',
  count: 42,
  big: '9007199254740993',
  ratio: 0.25,
  amount: '12345678901234567890.125',
  enabled: true,
  payload: { nested: [1, 'two', null], ok: false },
  happened_at: '2026-01-02T03:04:05.678Z',
  blob: Buffer.from([0, 1, 2, 255]).toString('base64'),
  avatar: 'avatars/u1.png',
  tags: ['a', 'b'],
  matrix: [1, 2, 3],
};
