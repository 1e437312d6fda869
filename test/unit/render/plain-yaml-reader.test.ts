import { describe, expect, it } from 'vitest';
import { parseYamlDocuments } from '../../../shared/render/manifest-yaml.js';
import { readPlainYaml } from '../../../shared/render/plain-yaml-reader.js';

/** What the full parser reads: the values of non-empty documents, or the error it throws. */
function full(text: string): { readonly values?: unknown[]; readonly error?: string } {
  try {
    return { values: parseYamlDocuments(text, { path: 'f.yaml', maxAliasCount: 100 }).map((d) => d.value) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The quick reader either declines or reads exactly what the full parser reads. */
function expectFaithful(text: string): unknown[] | undefined {
  const quick = readPlainYaml(text);
  if (quick !== undefined) expect({ text, read: quick }).toStrictEqual({ text, read: full(text).values });
  return quick;
}

const COMMON: Record<string, string> = {
  configMap: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels: {group: "0", app: web}\ndata:\n  key: value\n  port: "8080"\n`,
  deployment: `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # trailing comment
  annotations:
    app.kubernetes.io/name: web
    'quoted key': 'it''s'
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: nginx:1.25
        args: [--port, "80", -v]
        ports:
          - containerPort: 80
            protocol: TCP
        env:
        - name: EMPTY
          value:
        - name: URL
          value: http://example.com/a#b
      tolerations: []
      nodeSelector: {}
`,
  multiDocument: `---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n# only a comment\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n`,
  yaml11Scalars: `a: yes\nb: off\nc: 0644\nd: 0x1F\ne: 1.5\nf: ~\ng: null\nh: True\ni: 2024-01-01\nj: 1e3\nk: .inf\nl: 0o17\nm: y\nnum: 1_000\no: "yes"\np: 12:30\nq: -1\nr: -.5\n`,
  sequences: `- a\n- 1\n-\n- b: c\n  d: e\n-\n  f: g\n- [x, {w: z}]\n`,
  duplicateKeys: `a: 1\nb: 2\na: 3\n`,
  prototypeNames: `constructor: x\ntoString: y\nhasOwnProperty: z\n`,
  indentedRoot: `  a: b\n  c:\n    d: e\n`,
  emptyStream: `# nothing here\n\n`,
};

const DECLINED_OR_EQUAL: string[] = [
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  '<<: {a: 1}\nb: 2\n',
  'a: |\n  text\n',
  'a: >-\n  folded\n',
  'a: plain\n  continued\n',
  'a: "multi\n  line"\n',
  'a: "esc\\"aped"\n',
  'a:\tb\n',
  'a: b\r\nc: d\r\n',
  '%YAML 1.1\n---\na: b\n',
  'a: b\n...\n',
  '--- a: b\n',
  'a: b: c\n',
  'a: b\n  c: d\n',
  'a:\n    b: 1\n  c: 2\n',
  '- - a\n',
  '? a\n: b\n',
  '"a\\u0041": 1\n',
  '__proto__: {a: 1}\n',
  'yes: 1\n',
  'on: push\n',
  '1: a\n',
  'a: [b, c\n',
  'a: {b: c}#x\n',
  'a: "b"#x\n',
  'a: "b" x\n',
  'a: [b, , c]\n',
  'a: {b: 1, b: 2}\n',
  'a: {b, c}\n',
  'a: [b: c]\n',
  'a: -1\n',
  'a: -\n',
  'a: [-, b]\n',
  'a: ---\n',
  'a: --- b\n',
  'n: 1\n',
  'a: @b\n',
  'a: `b`\n',
  'a: b # c\n  d: e\n',
  'a:b\n',
  'a : b\n',
  'just a scalar\n',
  '[1, 2]\n',
  'a: b\n- c\n',
  '\uFEFFa: b\n',
  'a: "\u0007"\n',
  'a: [b, c, ]\n',
  'a: {b: c, }\n',
  'a: { }\n',
  "a: ''\n",
  'a: ""\n',
  'a: "#not a comment"\n',
  'a: b#c\n',
  'a: 0.\n',
  'a: .5\n',
  'a: +1\n',
  'a: 0b101\n',
  'a: 010\n',
  'a: 08\n',
  'a: 1:30:00\n',
  'a: NaN\n',
  'a: .NaN\n',
  'a: Yes\n',
  'a: YES\n',
  'a: yES\n',
  'a: N\n',
  'a: Null\n',
  'a: nULL\n',
  'a: ~x\n',
  'a: /x/y\n',
  'a: $(VAR)\n',
  'a: 1.2.3\n',
  'a: 12345678901234567890\n',
];

describe('readPlainYaml', () => {
  for (const [name, text] of Object.entries(COMMON)) {
    it(`reads ${name} without the full parser, to the same values`, () => {
      expect(expectFaithful(text)).toBeDefined();
    });
  }

  it('declines, or agrees with the full parser, on the hard corners of YAML', () => {
    let declined = 0;
    for (const text of DECLINED_OR_EQUAL) if (expectFaithful(text) === undefined) declined++;
    // The list is mostly text the quick reader must leave alone; a change that reads it all is suspect.
    expect(declined).toBeGreaterThan(30);
  });

  it('declines text the full parser refuses', () => {
    for (const text of DECLINED_OR_EQUAL) {
      if (full(text).error !== undefined)
        expect({ text, read: readPlainYaml(text) }).toEqual({ text, read: undefined });
    }
  });

  it('agrees with the full parser on generated documents', () => {
    const keys = ['a', 'name', 'app.kubernetes.io/x', '"q k"', "'s''k'", 'on', 'yes', 'Y', 'null', '-a', '1'];
    const scalars = [
      'b',
      '1',
      '0644',
      'yes',
      'off',
      '~',
      '"x: y"',
      "'a''b'",
      '1.5',
      'true',
      'x #c',
      '-',
      '',
      '[1, a]',
      '{k: v}',
      'a:b',
      'a: b',
      '*r',
      '&r x',
      '!t x',
      '|',
      '0x1f',
      '.inf',
      '-1',
      '+2',
      '2001-01-01',
      'y',
      'n',
      'Off',
      'c#d',
      '@x',
      '{',
      ']',
    ];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = <T>(list: readonly T[]) => list[next(list.length)]!;
    let read = 0;
    for (let round = 0; round < 1500; round++) {
      const lines: string[] = [];
      const indents = [0];
      for (let l = 0; l < 1 + next(8); l++) {
        const indent = pick(indents);
        const pad = ' '.repeat(indent);
        const shape = next(5);
        if (shape === 0) {
          lines.push(`${pad}${pick(keys)}:`);
          indents.push(indent + 2);
        } else if (shape === 1) {
          lines.push(`${pad}- ${pick(keys)}: ${pick(scalars)}`);
          indents.push(indent + 2);
        } else if (shape === 2) {
          lines.push(`${pad}- ${pick(scalars)}`);
        } else if (shape === 3) {
          lines.push(next(4) === 0 ? '---' : `${pad}# comment`);
        } else {
          lines.push(`${pad}${pick(keys)}: ${pick(scalars)}`);
        }
      }
      if (expectFaithful(`${lines.join('\n')}\n`) !== undefined) read++;
    }
    expect(read).toBeGreaterThan(100);
  });
});
