/**
 * A parameter set: what one generator produces for one Application. With fasttemplate the keys
 * are flat and dotted (`path.basename`) and the values strings; with goTemplate values nest.
 */
export type ParamSet = Readonly<Record<string, unknown>>;

/** The string-valued top-level parameters, which generator `selector`s match against. */
export function stringParams(params: ParamSet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (typeof value === 'string') out[key] = value;
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
