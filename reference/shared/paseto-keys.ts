/**
 * `STK_PASETO_KEYS`: the signing secrets an operator lists, `kid:secret`
 * entries separated by commas, newest first. Read once at start-up (the
 * Hub's config, the Bridge's local keys); a list this refuses stops the
 * service before it serves anything.
 */

export interface SigningSecret {
  readonly kid: string;
  readonly secret: string;
}

/** The shortest secret accepted: HKDF stretches it, but cannot add entropy it lacks. */
const MIN_SECRET = 16;

function parseEntry(entry: string): SigningSecret {
  const colon = entry.indexOf(':');
  const kid = colon < 0 ? '' : entry.slice(0, colon).trim();
  const secret = colon < 0 ? '' : entry.slice(colon + 1);
  // The message names the key id only: an entry's text may be, or hold, the secret.
  if (kid === '') throw new Error('STK_PASETO_KEYS has an entry without a key id: write each as kid:secret');
  if (secret.length < MIN_SECRET)
    throw new Error(`STK_PASETO_KEYS entry '${kid}' needs a secret of at least ${MIN_SECRET} characters`);
  return { kid, secret };
}

/** Parses `kid:secret[,kid:secret]`; the first entry signs, all verify. */
export function parsePasetoKeys(value: string | undefined): SigningSecret[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new Error('STK_PASETO_KEYS is empty: give at least one kid:secret');
  const secrets = entries.map(parseEntry);
  const kids = secrets.map((secret) => secret.kid);
  const repeated = kids.find((kid, index) => kids.indexOf(kid) !== index);
  if (repeated !== undefined) throw new Error(`STK_PASETO_KEYS lists key id '${repeated}' twice`);
  return secrets;
}
