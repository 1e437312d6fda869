/**
 * Argo CD's default templating (valyala/fasttemplate with `{{` `}}`): each `{{ name }}` whose
 * trimmed name is a string parameter is replaced; anything else (unknown names, non-string
 * values, `{{}}`) is left exactly as written. A `{{` without a closing `}}` is an invalid template.
 */
import { DriftlessError } from '../../errors/index.js';
import type { ParamSet } from '../params.js';

/** Argo CD only templates strings with `{{` and `}}` on one line (its regexp has no `s` flag). */
const TEMPLATED = /\{\{.*\}\}/;

export function replaceFastTemplate(template: string, params: ParamSet): string {
  if (!TEMPLATED.test(template)) return template;
  let out = '';
  let rest = template;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) return out + rest;
    out += rest.slice(0, open);
    rest = rest.slice(open + 2);
    const close = rest.indexOf('}}');
    if (close < 0) {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `invalid template ${JSON.stringify(template)}: cannot find end tag "}}" after ${JSON.stringify(`{{${rest}`)}`,
      );
    }
    const tag = rest.slice(0, close);
    rest = rest.slice(close + 2);
    const name = tag.trim();
    const value = name === '' ? undefined : params[name];
    out += typeof value === 'string' ? value : `{{${tag}}}`;
  }
}
