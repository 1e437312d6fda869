import { describe, expect, it } from 'vitest';
import { executeGoTemplate, type MissingKey } from '../../../shared/appset/go-template/index.js';
import { isDriftlessError } from '../../../shared/errors/index.js';

const data = {
  name: 'web',
  replicas: 3,
  big: 1000000,
  ratio: 0.00001,
  empty: '',
  nothing: null,
  list: ['a', 'b', 'c'],
  map: { z: 1, a: 'x' },
  path: { basename: 'web', segments: ['apps', 'web'] },
};

function run(template: string, missingKey: MissingKey = 'default'): string {
  return executeGoTemplate(template, data, missingKey);
}

function failure(template: string, missingKey: MissingKey = 'default'): string {
  try {
    run(template, missingKey);
  } catch (e) {
    if (!isDriftlessError(e, 'INVALID_MANIFEST')) throw e;
    return e.message;
  }
  throw new Error(`${template}: expected an error`);
}

describe('Go template evaluation', () => {
  it.each([
    ['{{ .name }}', 'web'],
    ['{{.path.basename}}-{{ index .path.segments 0 }}', 'web-apps'],
    ['{{ .replicas }} {{ .big }} {{ .ratio }}', '3 1e+06 1e-05'],
    ['{{ .list }} {{ .map }}', '[a b c] map[a:x z:1]'],
    ['{{ .missing }}', '<no value>'],
    ['{{ .missing.deeper }}', '<no value>'],
    ['{{ if .empty }}yes{{ else if .name }}name{{ else }}no{{ end }}', 'name'],
    ['{{ if not .nothing }}nil is false{{ end }}', 'nil is false'],
    ['{{ with .path }}{{ .basename }}{{ end }}', 'web'],
    ['{{ range .list }}[{{ . }}]{{ end }}', '[a][b][c]'],
    ['{{ range $k, $v := .map }}{{ $k }}={{ $v }};{{ end }}', 'a=x;z=1;'],
    ['{{ range .missing }}x{{ else }}empty{{ end }}', 'empty'],
    [
      '{{ range $i, $v := .list }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 2 }}{{ break }}{{ end }}{{ $v }}{{ end }}',
      'a',
    ],
    ['{{ $x := "a" }}{{ if true }}{{ $x = "b" }}{{ end }}{{ $x }}', 'b'],
    ['{{ $.name }}{{ range .list }}{{ $.name }}{{ end }}', 'webwebwebweb'],
    ['  {{- .name -}}  \n', 'web'],
    ['{{/* a comment */}}x', 'x'],
    ['{{ "a" | printf "%s-%s" "b" }}', 'b-a'],
    ['{{ (index .list 2) | upper }}', 'C'],
    ['{{ and 1 0 "x" }} {{ or "" "y" }} {{ and .missing.x true }}', '0 y <no value>'],
    ['{{ len .list }} {{ len .name }} {{ len .map }}', '3 3 2'],
    ['{{ eq .name "api" "web" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ ge "b" "a" }}', 'true true true true'],
    ['{{ print "a" 1 2 "b" }}', 'a1 2b'],
    [
      '{{ printf "%q %5s|%-4d|%t %x %.2f %%" "x" "ab" 7 true 255 .replicas }}',
      '"x"    ab|7   |true ff 3.00 %',
    ],
    ['{{ default "d" .empty }} {{ default "d" .name }} {{ .nothing | default "n" }}', 'd web n'],
    ['{{ coalesce .empty .nothing "c" }} {{ ternary "t" "f" true }} {{ empty .list }}', 'c t false'],
    ['{{ toJson .map }} {{ toJson "<&>" }}', '{"a":"x","z":1} "\\u003c\\u0026\\u003e"'],
    ['{{ toYaml .map }}', 'a: x\nz: 1'],
    ['{{ splitList "," "a,,b" | join "+" }} {{ list 1 "x" | join "-" }}', 'a++b 1-x'],
    [
      '{{ trimPrefix "ab" "abc" }} {{ trimSuffix "bc" "abc" }} {{ trimAll "-" "--x--" }} {{ trim " y " }}',
      'c a x y',
    ],
    [
      '{{ replace "." "-" "a.b.c" }} {{ trunc 2 "abc" }} {{ trunc 9 "abc" }} {{ trunc -1 "abc" }}',
      'a-b-c ab abc c',
    ],
    [
      '{{ quote "a\\"b" }} {{ squote "s" }} {{ b64enc "x" }} {{ b64dec "eA==" }} {{ b64dec "!" }}',
      '"a\\"b" \'s\' eA== x illegal base64 data at input byte 0',
    ],
    [
      '{{ normalize "My_App.V2." }} {{ slugify "Hello World & Friends" }} {{ kebabcase "HTTPServerName" }}',
      'my-app.v2 hello-world-friends http-server-name',
    ],
    [
      '{{ toString 1.5 }} {{ contains "ell" "hello" }} {{ hasPrefix "he" "hello" }} {{ hasSuffix "lo" "hello" }}',
      '1.5 true true true',
    ],
  ])('%s', (template, expected) => {
    expect(run(template)).toBe(expected);
  });

  it('missingkey=zero gives nil, and a field of nil is an error', () => {
    expect(run('{{ .missing }}', 'zero')).toBe('<no value>');
    expect(failure('{{ .missing.deeper }}', 'zero')).toContain('nil pointer evaluating interface {}.deeper');
    expect(failure('{{ .nothing.deeper }}')).toContain('nil pointer evaluating interface {}.deeper');
  });

  it('missingkey=error names the missing key', () => {
    expect(failure('{{ .path.nope }}', 'error')).toContain('map has no entry for key "nope"');
    expect(failure('{{ .missing }}', 'error')).toContain('map has no entry for key "missing"');
  });

  it.each([
    ['{{ .name', 'unclosed action'],
    ['{{ if .name }}x', 'missing {{end}}'],
    ['{{ end }}', 'unexpected {{end}}'],
    ['{{ else }}', 'unexpected {{else}}'],
    ['{{ define "x" }}{{ end }}', '{{define}} is not supported'],
    ['{{ template "x" }}', '{{template}} is not supported'],
    ['{{ break }}', '{{break}} outside {{range}}'],
    ['{{ nope 1 }}', 'function "nope" not defined'],
    ['{{ (1 }}', 'unclosed left paren'],
    ['{{ "abc }}', 'unclosed action'],
    ['{{ "abc" "d\\q" }}', 'bad string'],
    ['{{ $undefined }}', 'undefined variable: $undefined'],
    ['{{ .name 1 }}', "can't give argument to non-function .name"],
    ['{{ .missing | lower }}', 'error calling lower: invalid value; expected string'],
    ['{{ lower .replicas }}', 'wrong type for value; expected string; got float64'],
    ['{{ trunc 2.5 "abc" }}', 'expected int; got float64'],
    ['{{ eq .replicas 3 }}', 'incompatible types for comparison'],
    ['{{ index .list 5 }}', 'index out of range: 5'],
    ['{{ .name.x }}', "can't evaluate field x in type string"],
    ['{{ range .name }}{{ end }}', "range can't iterate over web"],
    ['{{ printf "%z" 1 }}', 'verb %z is not supported'],
    ["{{ 'c' }}", 'character constants are not supported'],
  ])('%s fails: %s', (template, message) => {
    const error = failure(template);
    expect(error).toContain(message);
    expect(error).toContain(JSON.stringify(template));
  });
});
