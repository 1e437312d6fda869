/**
 * What every generator receives: the templating mode of the ApplicationSet (parameters are flat
 * strings for fasttemplate, nested for goTemplate) and the sources it may read.
 */
import type { ParamSet } from '../params.js';
import type { GeneratorSources } from '../sources.js';
import type { TemplateMode } from '../template/render.js';

export interface GeneratorRun {
  readonly mode: TemplateMode;
  readonly sources: GeneratorSources;
}

/** One leaf generator: its body (`list: {...}`), where it sits (for messages) → parameter sets. */
export type LeafGenerator = (
  body: Readonly<Record<string, unknown>>,
  at: string,
  run: GeneratorRun,
) => Promise<ParamSet[]>;
