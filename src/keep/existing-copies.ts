import { isDate } from 'node:util/types';
import type { Obj } from '../types/obj.js';

/** Names a file may try ("a.jpg", "a (2).jpg" ... "a (100).jpg") before it fails. */
export const MAX_NAME_CANDIDATES = 100;

/** What a target holds at a name, as far as it can tell. */
export interface ExistingEntry {
  /** A regular file: not a folder, and not a symlink (which may point anywhere). */
  isFile: boolean;
  size?: number;
  /** The time the target dates it by: a local file's mtime, a storage's capture (or modified) time. */
  modified?: Date;
}

/** The time the keeper stamps on a copy (mtime and atime): the item's capture time, else its modified time. */
export function captureTime(file: Obj): Date | undefined {
  const time = file.created ?? file.modified;
  return isDate(time) && !Number.isNaN(time.getTime()) ? time : undefined;
}

/**
 * The n-th name a file may be kept under: its own name first, then "IMG_0001 (2).jpg", "IMG_0001 (3).jpg", ...
 * with the number before a short extension, as browsers name a second download of the same name.
 */
export function candidateName(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  const hasExtension = dot > 0 && dot < name.length - 1 && name.length - dot <= 6;
  return hasExtension ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

const seconds = (time: Date) => Math.floor(time.getTime() / 1000);

/**
 * Whether `entry` is a copy of `file` kept earlier (so keeping it again would fetch it twice): a regular file whose
 * size and modified time (the keeper stamps the capture time, to the second) match the item on every point both
 * sides know, with at least one point known. Anything else (a folder, a link, another photo of the same name, a
 * file nothing can be told about) is not, and the item goes to another name: a duplicate at worst, never a loss.
 */
export function isCopyOf(entry: ExistingEntry, file: Obj): boolean {
  if (!entry.isFile) return false;
  let compared = false;
  if (file.size !== undefined && entry.size !== undefined) {
    if (entry.size !== file.size) return false;
    compared = true;
  }
  const time = captureTime(file);
  if (time && entry.modified && !Number.isNaN(entry.modified.getTime())) {
    if (seconds(entry.modified) !== seconds(time)) return false;
    compared = true;
  }
  return compared;
}
