/**
 * Splits an image reference `[host[:port]/]path[:tag][@digest]` into name, tag and digest, as
 * kustomize does: a `:` before the first `/` is a registry port, not a tag.
 */
export interface ImageNameParts {
  readonly name: string;
  readonly tag: string;
  readonly digest: string;
}

export function splitImageName(reference: string): ImageNameParts {
  const slash = reference.indexOf('/');
  const offset = Math.max(slash, 0);
  const searched = reference.slice(offset);
  const at = searched.indexOf('@');
  const colon = searched.indexOf(':');
  if (at < 0 && colon < 0) return { name: reference, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) {
    return { name: reference.slice(0, offset + at), tag: '', digest: reference.slice(offset + at + 1) };
  }
  if (at >= 0) {
    return {
      name: reference.slice(0, offset + colon),
      tag: reference.slice(offset + colon + 1, offset + at),
      digest: reference.slice(offset + at + 1),
    };
  }
  return { name: reference.slice(0, offset + colon), tag: reference.slice(offset + colon + 1), digest: '' };
}
