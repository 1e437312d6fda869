/**
 * One `image set` argument, read with `kustomize edit set image`'s grammar:
 *
 *   name=newName            name=newName:tag      name=newName@digest   name=newName:tag@digest
 *   name:tag                name@digest           name:tag@digest
 *
 * `*` as newName, tag or digest keeps the value already in the kustomization.
 */
import { DriftlessError } from '../errors/index.js';
import { splitImageName } from './split-image-name.js';

export interface ImageOverride {
  readonly name: string;
  readonly newName: string;
  readonly newTag: string;
  readonly digest: string;
}

const FORMS = [
  'NAME=NEWNAME:TAG',
  'NAME=NEWNAME@DIGEST',
  'NAME=NEWNAME:TAG@DIGEST',
  'NAME=NEWNAME',
  'NAME:TAG',
  'NAME:TAG@DIGEST',
  'NAME@DIGEST',
].join(', ');

export function parseImageArgument(argument: string): ImageOverride {
  const eq = argument.indexOf('=');
  const key = eq < 0 ? '' : argument.slice(0, eq);
  const value = eq < 0 ? argument : argument.slice(eq + 1);
  const { name, tag, digest } = splitImageName(value);
  // A bare name changes nothing, so kustomize refuses it; so do we.
  if (name === argument || (eq >= 0 && key === '') || (eq < 0 && name === '')) {
    throw new DriftlessError('INVALID_INPUT', `image "${argument}": expected one of ${FORMS}`, {
      context: { argument },
    });
  }
  return key === ''
    ? { name, newName: '', newTag: tag, digest }
    : { name: key, newName: name, newTag: tag, digest };
}
