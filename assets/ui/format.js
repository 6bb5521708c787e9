/** How sizes, dates and file kinds are shown. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** "—" when the size is unknown (missing, negative). */
export function formatSize(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function parseDate(value) {
  if (!value) return null;
  const date = new Date(value);
  // The Unix epoch and Go's zero time (0001-01-01) mean "unknown" in AList answers.
  if (Number.isNaN(date.getTime()) || date.getTime() <= 0) return null;
  return date;
}

export function formatDate(value) {
  const date = parseDate(value);
  return date ? date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

const VIDEO = /\.(mp4|m4v|mov|webm|mkv|avi|3gp|mts)$/i;
const IMAGE = /\.(jpe?g|png|gif|webp|heic|heif|bmp|avif|svg|tiff?)$/i;
const AUDIO = /\.(mp3|m4a|aac|ogg|oga|opus|flac|wav)$/i;

/** 'folder' | 'image' | 'video' | 'audio' | 'file', from AList's type number, else the name. */
export function fileKind(item) {
  if (item.is_dir) return 'folder';
  switch (item.type) {
    case 1: return 'folder';
    case 2: return 'video';
    case 3: return 'audio';
    case 5: return 'image';
    default:
      if (VIDEO.test(item.name)) return 'video';
      if (IMAGE.test(item.name)) return 'image';
      if (AUDIO.test(item.name)) return 'audio';
      return 'file';
  }
}

/** The size of a listed item as shown: "—" while the server does not know it (size_unknown, size 0). */
export function itemSize(item) {
  return formatSize(item?.size_unknown ? undefined : item?.size);
}
