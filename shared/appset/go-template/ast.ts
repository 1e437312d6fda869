/**
 * The parsed form of a Go text/template: a list of nodes, each text or an action. Only the
 * constructs ApplicationSet templates use are represented; the parser refuses the rest by name.
 */

export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipe: Pipeline; readonly pos: number }
  | {
      readonly kind: 'if' | 'with';
      readonly pipe: Pipeline;
      readonly body: readonly TemplateNode[];
      readonly elseBody: readonly TemplateNode[];
      readonly pos: number;
    }
  | {
      readonly kind: 'range';
      readonly pipe: Pipeline;
      readonly body: readonly TemplateNode[];
      readonly elseBody: readonly TemplateNode[];
      readonly pos: number;
    }
  | { readonly kind: 'break' | 'continue'; readonly pos: number };

export interface Pipeline {
  /** Variables declared (`$x :=`) or assigned (`$x =`) by this pipeline, without the `$`. */
  readonly variables: readonly string[];
  readonly assign: boolean;
  readonly commands: readonly Command[];
  /** The source text, for messages. */
  readonly text: string;
}

export interface Command {
  readonly args: readonly Operand[];
}

export type Operand =
  | { readonly kind: 'dot' }
  | { readonly kind: 'field'; readonly names: readonly string[] }
  | { readonly kind: 'variable'; readonly name: string; readonly names: readonly string[] }
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'pipe'; readonly pipe: Pipeline; readonly names: readonly string[] };
