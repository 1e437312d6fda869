/**
 * A generator's `values`: each value is templated with the parameters generated so far and added
 * as `values.<key>` (fasttemplate) or under `values` (goTemplate). Values see only the other
 * parameters, never each other, so a value cannot expand itself.
 */
import { DriftlessError } from '../../errors/index.js';
import { isPlainObject, type ParamSet } from '../params.js';
import { replaceString, type TemplateMode } from '../template/render.js';

export function withValues(params: ParamSet, values: unknown, at: string, mode: TemplateMode): ParamSet {
  if (values === undefined || values === null) return params;
  if (!isPlainObject(values))
    throw new DriftlessError('INVALID_MANIFEST', `${at}.values: must be a map of strings`);
  const rendered: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== 'string') {
      throw new DriftlessError('INVALID_MANIFEST', `${at}.values.${key}: must be a string`);
    }
    rendered[key] = replaceString(value, params, mode);
  }
  if (Object.keys(rendered).length === 0) return params;
  if (mode.goTemplate) return { ...params, values: rendered };
  const out: Record<string, unknown> = { ...params };
  for (const [key, value] of Object.entries(rendered)) out[`values.${key}`] = value;
  return out;
}
