/**
 * `driftless image set DIR NAME=IMAGE:TAG...`: sets images in the kustomization of DIR the way
 * `kustomize edit set image` does (run from DIR), so CI can bump an overlay without kustomize.
 */
import { DriftlessError, messageOf } from '../../shared/errors/index.js';
import { setImagesInDirectory } from '../../shared/image/index.js';
import { parseCommandArgs, usageError } from '../command-args.js';
import type { CliIO } from '../io.js';

const USAGE = `Usage: driftless image set DIR IMAGE... [--dry-run]

Sets new names, tags or digests in the images: list of DIR's kustomization
(kustomization.yaml, kustomization.yml or Kustomization), exactly as
'kustomize edit set image' run in DIR would. Each IMAGE is one of:

  NAME=NEWNAME:TAG   NAME=NEWNAME@DIGEST   NAME=NEWNAME:TAG@DIGEST   NAME=NEWNAME
  NAME:TAG           NAME@DIGEST           NAME:TAG@DIGEST

'*' as NEWNAME, TAG or DIGEST keeps the value already in the file. Only the
images: field is rewritten; the rest of the file is left as it is.

  --dry-run   print the edited file instead of writing it

Exit status: 0 on success, 1 when the file cannot be edited, 2 on a usage error.
`;

export async function run(args: readonly string[], io: CliIO): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (subcommand !== 'set') {
    return usageError(
      io,
      'image',
      subcommand ? `unknown subcommand "${subcommand}"` : 'name a subcommand',
      USAGE,
    );
  }
  const parsed = parseCommandArgs({
    command: 'image set',
    usage: USAGE,
    args: rest,
    io,
    spec: { flags: ['dry-run'] },
  });
  if (typeof parsed === 'number') return parsed;
  const [dir, ...images] = parsed.positionals;
  if (!dir) return usageError(io, 'image set', 'name the directory of the kustomization', USAGE);
  if (images.length === 0) return usageError(io, 'image set', 'no image specified', USAGE);
  try {
    const dryRun = parsed.flags.has('dry-run');
    const result = await setImagesInDirectory({ dir, arguments: images, dryRun });
    if (dryRun) io.out(result.text);
    else io.err(`${result.path}: ${result.changed ? 'images updated' : 'images already up to date'}\n`);
    return 0;
  } catch (e) {
    io.err(`driftless image set: ${messageOf(e)}\n`);
    return e instanceof DriftlessError && e.code === 'INVALID_INPUT' ? 2 : 1;
  }
}
