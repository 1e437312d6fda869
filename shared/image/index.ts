/**
 * CI image updates: `driftless image set DIR NAME=IMAGE:TAG` edits a kustomization's `images:`
 * list the way `kustomize edit set image` does, without a kustomize binary.
 *
 * 1. `parseImageArgument` reads each argument with kustomize's grammar (`name=newName:tag@digest`,
 *    `name:tag`, `name@digest`, `name=newName`; `*` keeps the value already in the file).
 * 2. `setImages` merges them into the existing entries exactly as kustomize does: an argument
 *    replaces the whole entry of the same name, entries are sorted by name and written with
 *    kustomize's key order (alphabetical: digest, name, newName, newTag, tagSuffix).
 * 3. Only the `images:` field is rewritten; every other field, comment and blank line of the file
 *    stays byte for byte (kustomize itself reformats the whole file; the rendered result is the
 *    same). `setImagesInDirectory` finds `kustomization.yaml|yml|Kustomization` and writes it back.
 */
export { type ImageOverride, parseImageArgument } from './image-argument.js';
export {
  findKustomizationFile,
  type SetImagesInDirectoryOptions,
  setImagesInDirectory,
} from './kustomization-file.js';
export { type KustomizeImage, type SetImagesOptions, type SetImagesResult, setImages } from './set-images.js';
export { splitImageName } from './split-image-name.js';
