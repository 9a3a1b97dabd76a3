/**
 * One redactor per run, shared by everything that writes an artifact: the
 * service log files, the console, results.json, junit.xml, annotations and
 * the HTML report. It knows the stack's secrets by value (registered as the
 * stack makes or receives them) and finds others by name and shape; each
 * secret becomes `[redacted:<kind>#<fingerprint>]`, the fingerprint a keyed
 * hash that is the same for the same value within the run, so a reader can
 * still tell two keys apart without either being recoverable.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isSecretName } from './secret-names.ts';
import {
  foundByShape,
  isPlaceholder,
  kindOf,
  PLACEHOLDER_PREFIX,
  redactByRules,
  redactNamedValue,
  type Mask,
} from './text-rules.ts';

/** Shorter values are masked where a name or URL marks them, but not searched for by value: they would match ordinary words. */
export const MIN_SECRET_LENGTH = 8;

/** The part the stack needs: tell the redactor a secret it made or was given. */
export interface SecretSink {
  /** Registers a secret by value; every later redaction replaces it wherever it appears. Short values are ignored. */
  addSecret(value: string, kind: string): void;
}

export interface Redactor extends SecretSink {
  /** Free text: a log line, stdout, a message, a body. */
  text(text: string): string;
  /**
   * A JSON-like value (a result, a whole report), deeply. Fields named like
   * secrets are masked; every secret found anywhere in it is learned first,
   * so it is masked in every other place of the value too.
   */
  value<T>(value: T): T;
}

export interface RedactorOptions {
  /** Key of the fingerprint hash; random per redactor unless given (tests). */
  readonly fingerprintKey?: Buffer;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The secrets known by value: each form it may appear in, and what replaces it. */
interface SecretStore {
  add(value: string, kind: string): void;
  /** The placeholder of a known form, or of a new secret of this kind. */
  placeholder(form: string, kind: string): string;
  /** Every known form in `text` replaced. */
  replaceKnown(text: string): string;
  /** Whether a secret was added since the last `replaceKnown`. */
  readonly grown: boolean;
}

function createSecretStore(key: Buffer): SecretStore {
  // Each known form of a secret (as given, URL-encoded, JSON-escaped) → its kind and the value its fingerprint is of.
  const forms = new Map<string, { readonly kind: string; readonly value: string }>();
  // The forms searched by value: tokens the shape rules find anyway (a run makes hundreds) stay out of the pattern.
  const searched: string[] = [];
  let pattern: RegExp | undefined;
  let grown = false;
  const fingerprint = (value: string) => createHmac('sha256', key).update(value).digest('hex').slice(0, 6);
  const placeholder = (form: string, kind: string) => {
    const entry = forms.get(form);
    return `${PLACEHOLDER_PREFIX}${entry?.kind ?? kindOf(kind)}#${fingerprint(entry?.value ?? form)}]`;
  };
  return {
    add(value, kind) {
      if (value.length < MIN_SECRET_LENGTH || isPlaceholder(value) || forms.has(value)) return;
      forms.set(value, { kind: kindOf(kind), value });
      if (foundByShape(value)) return;
      for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
        if (form.length < MIN_SECRET_LENGTH || searched.includes(form)) continue;
        if (!forms.has(form)) forms.set(form, { kind: kindOf(kind), value });
        searched.push(form);
      }
      pattern = undefined;
      grown = true;
    },
    placeholder,
    replaceKnown(text) {
      grown = false;
      if (searched.length === 0) return text;
      pattern ??= new RegExp(
        [...searched]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegExp)
          .join('|'),
        'g',
      );
      return text.replace(pattern, (form) => placeholder(form, 'secret'));
    },
    get grown() {
      return grown;
    },
  };
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const store = createSecretStore(options.fingerprintKey ?? randomBytes(16));
  const mask: Mask = (secret, kind) => {
    store.add(secret, kind);
    return store.placeholder(secret, kind);
  };
  const text = (input: string) => {
    if (input === '') return input;
    const out = redactByRules(store.replaceKnown(input), mask);
    // A rule may have learned a secret that also appears elsewhere in this text.
    return store.grown ? store.replaceKnown(out) : out;
  };
  const walk = (value: unknown, name?: string): unknown => {
    if (typeof value === 'string')
      return name !== undefined && isSecretName(name)
        ? store.replaceKnown(redactNamedValue(name, value, mask))
        : text(value);
    if (Array.isArray(value)) return walkArray(value);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([field, inner]) => [field, walk(inner, field)]));
  };
  // argv: `--password hunter2` puts the secret in the element after the flag.
  const walkArray = (items: readonly unknown[]) =>
    items.map((item, index) => {
      const previous = items[index - 1];
      const flag = typeof previous === 'string' && /^--?[A-Za-z][\w-]*$/.test(previous) ? previous : undefined;
      return typeof item === 'string' && flag !== undefined && isSecretName(flag) ? walk(item, flag) : walk(item);
    });
  return {
    addSecret: (value, kind) => store.add(value, kind),
    text,
    value: <T>(value: T): T => {
      walk(value);
      return walk(value) as T;
    },
  };
}
