/**
 * The list generator: one parameter set per element of `elements`, then per element of
 * `elementsYaml` (a YAML/JSON list, often templated by a matrix parent). With fasttemplate every
 * element value must be a string, except `values`, a map of strings flattened to `values.<key>`.
 */
import { parse } from 'yaml';
import { DriftlessError, messageOf } from '../../errors/index.js';
import { isPlainObject, type ParamSet } from '../params.js';
import type { LeafGenerator } from './generator-run.js';

export const listGenerator: LeafGenerator = async (body, at, run) => {
  const elements = body.elements ?? [];
  if (!Array.isArray(elements))
    throw new DriftlessError('INVALID_MANIFEST', `${at}.elements: must be a list`);
  const out: ParamSet[] = elements.map((element, i) => {
    if (!isPlainObject(element)) {
      throw new DriftlessError('INVALID_MANIFEST', `${at}.elements[${i}]: must be an object`);
    }
    return run.mode.goTemplate ? structuredClone(element) : flatElement(element, `${at}.elements[${i}]`);
  });
  const yamlText = body.elementsYaml;
  if (typeof yamlText === 'string' && yamlText.length > 0) out.push(...parseElementsYaml(yamlText, at));
  return out;
};

function flatElement(element: Record<string, unknown>, at: string): ParamSet {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(element)) {
    if (key === 'values') {
      if (!isPlainObject(value))
        throw new DriftlessError('INVALID_MANIFEST', `${at}.values: must be a map of strings`);
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') {
          throw new DriftlessError(
            'INVALID_MANIFEST',
            `${at}.values.${k}: must be a string without goTemplate`,
          );
        }
        params[`values.${k}`] = v;
      }
    } else if (typeof value === 'string') {
      params[key] = value;
    } else {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `${at}.${key}: must be a string without goTemplate (got ${JSON.stringify(value)})`,
      );
    }
  }
  return params;
}

function parseElementsYaml(text: string, at: string): ParamSet[] {
  let parsed: unknown;
  try {
    parsed = parse(text, { version: '1.2' });
  } catch (e) {
    throw new DriftlessError('INVALID_MANIFEST', `${at}.elementsYaml: not YAML: ${messageOf(e)}`);
  }
  if (parsed === null || parsed === undefined) return [];
  if (!Array.isArray(parsed) || !parsed.every(isPlainObject)) {
    throw new DriftlessError('INVALID_MANIFEST', `${at}.elementsYaml: must be a list of objects`);
  }
  return parsed as ParamSet[];
}
