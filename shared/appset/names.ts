/**
 * The name transformations Argo CD applies to parameters: `normalize` (DNS-1123-ish, used for
 * `*Normalized` parameters), the slug of a branch (`branch_slug`, 50 characters, cut at a dash)
 * and `slugify`. Each follows the upstream rules step by step because generated Application
 * names must come out identical.
 */

const MAX_DNS_NAME = 253;

/** Lowercase, anything but `[-a-z0-9.]` becomes `-`, at most 253 characters, `-` and `.` trimmed. */
export function sanitizeName(name: string): string {
  let out = name.toLowerCase().replace(/[^-a-z0-9.]/gu, '-');
  if (out.length > MAX_DNS_NAME) out = out.slice(0, MAX_DNS_NAME);
  return out.replace(/^[-.]+/, '').replace(/[-.]+$/, '');
}

export interface SlugOptions {
  /** 0 means no limit. */
  readonly maxLength: number;
  /** Cut at the last `-` before the limit instead of in the middle of a word. */
  readonly smartTruncate: boolean;
  /** Extra substitutions applied first (the pull request generator maps `_` to `-`). */
  readonly substitutions?: Readonly<Record<string, string>>;
}

/** English substitutions the slug library applies before transliteration. */
const ENGLISH: Readonly<Record<string, string>> = { '&': 'and', '@': 'at' };

/** A URL slug: transliterated to ASCII, lowercase, runs of other characters collapsed to `-`. */
export function makeSlug(text: string, options: SlugOptions): string {
  let slug = text.trim();
  for (const [from, to] of Object.entries(options.substitutions ?? {})) slug = slug.replaceAll(from, to);
  for (const [from, to] of Object.entries(ENGLISH)) slug = slug.replaceAll(from, to);
  slug = transliterate(slug).toLowerCase();
  if (!options.smartTruncate && options.maxLength > 0 && slug.length >= options.maxLength) {
    slug = slug.slice(0, options.maxLength);
  }
  slug = slug
    .replace(/[^a-zA-Z0-9\-_]/gu, '-')
    .replace(/-+/g, '-')
    .replace(/^[-_]+/, '')
    .replace(/[-_]+$/, '');
  if (options.maxLength > 0 && options.smartTruncate) slug = smartTruncate(slug, options.maxLength);
  return slug;
}

function smartTruncate(text: string, max: number): string {
  if (text.length <= max) return text;
  for (let i = max; i >= 0; i--) {
    if (text[i] === '-') return text.slice(0, i);
  }
  return text.slice(0, max);
}

/** Accents dropped (é → e); other non-ASCII characters become separators. */
function transliterate(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** Argo CD's `slugify [maxSize] [smartTruncate] name`: normalize, then slug (50 characters by default). */
export function slugify(name: string, maxLength = 50, smartTruncateEnabled = true): string {
  return makeSlug(sanitizeName(name), { maxLength, smartTruncate: smartTruncateEnabled });
}

/** The pull request generator's `branch_slug`: 50 characters at most, `_` as `-`. */
export function branchSlug(branch: string): string {
  return makeSlug(branch, { maxLength: 50, smartTruncate: true, substitutions: { _: '-' } });
}

/** Sprig's `kebabcase`: words split at case changes and separators, joined by `-`, lowercase. */
export function kebabCase(text: string): string {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
  return words.map((w) => w.toLowerCase()).join('-');
}
