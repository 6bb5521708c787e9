import mime from 'mime-types';
import type { Obj } from '../../types/obj.js';

/** AList's object types: 0 unknown, 1 folder, 2 video, 3 audio, 4 text, 5 image. */
export function alistType(obj: Pick<Obj, 'isDir' | 'mimeType' | 'name'>): number {
  if (obj.isDir) return 1;
  const type = obj.mimeType || mime.lookup(obj.name) || '';
  if (type.startsWith('video/')) return 2;
  if (type.startsWith('audio/')) return 3;
  if (type.startsWith('text/')) return 4;
  if (type.startsWith('image/')) return 5;
  return 0;
}

export interface AListObject {
  /** The driver's id of the object (absent on mount points): lets a client act on it, e.g. a picked session folder. */
  id?: string;
  name: string;
  size: number;
  is_dir: boolean;
  modified: string;
  created: string;
  thumb: string;
  type: number;
  sign: string;
  hash_info: null;
  expires_at?: string;
  description?: string;
  /** On a mount point: the storage is the demo (emulator-backed) one. */
  demo?: boolean;
  /** On a mount point: the storage's remark. */
  remark?: string;
  /** This host's own: the file's size is not known yet (`size` is then 0, as AList sends for an unknown size). */
  size_unknown?: true;
}

const EPOCH = new Date(0).toISOString();

function iso(date: Date | undefined): string {
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : EPOCH;
}

export function toAListObject(obj: Obj, size: number | undefined, sign: string): AListObject {
  const out: AListObject = {
    id: obj.id,
    name: obj.name,
    // AList sends 0 for a size it does not know; its frontends show "-" for 0 (as for folders), "-1B" for -1.
    size: obj.isDir ? 0 : size ?? 0,
    is_dir: obj.isDir,
    modified: iso(obj.modified),
    created: iso(obj.created ?? obj.modified),
    thumb: obj.thumbnail ?? '',
    type: alistType(obj),
    sign: obj.isDir ? '' : sign,
    hash_info: null,
  };
  if (!obj.isDir && size === undefined) out.size_unknown = true;
  if (obj.expiresAt) out.expires_at = iso(obj.expiresAt);
  if (obj.description) out.description = obj.description;
  return out;
}

/** A mount point (or a folder leading to one) shown as a folder; a mount point carries its storage's demo flag and remark. */
export function virtualFolder(name: string, modified: string, storage?: { demo: boolean; remark: string }): AListObject {
  const folder: AListObject = { name, size: 0, is_dir: true, modified, created: modified, thumb: '', type: 1, sign: '', hash_info: null };
  if (storage?.demo) folder.demo = true;
  if (storage?.remark) folder.remark = storage.remark;
  return folder;
}
