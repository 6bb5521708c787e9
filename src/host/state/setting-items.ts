import { readFileSync } from 'node:fs';
import { normalizeSiteUrl, SiteUrlError } from '../site-url.js';

const HOST_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** AList's setting groups (internal/model/setting.go). */
export const SettingGroup = { SINGLE: 0, SITE: 1, STYLE: 2, PREVIEW: 3, GLOBAL: 4 } as const;
/** AList's setting flags: PUBLIC items go to /api/public/settings, PRIVATE ones only to admins, READONLY are never saved. */
export const SettingFlag = { PUBLIC: 0, PRIVATE: 1, READONLY: 2, DEPRECATED: 3 } as const;

export type SettingType = 'string' | 'text' | 'number' | 'bool' | 'select';

/** AList's SettingItem, as its admin routes answer it. */
export interface SettingItem {
  key: string;
  value: string;
  help: string;
  type: SettingType;
  options: string;
  group: number;
  flag: number;
  index: number;
}

interface SettingDefinition {
  key: string;
  /** The value until an admin saves another. */
  default: string;
  type: SettingType;
  group: number;
  flag?: number;
  options?: string;
  help?: string;
  /** Smallest value of a number. */
  min?: number;
  /** A further check of a value: the problem, or undefined when it is fine. */
  check?: (value: string) => string | undefined;
}

// AList's default iframe previews (internal/bootstrap/data/setting.go): viewers fed the file's public URL.
const IFRAME_PREVIEWS = `{
	"doc,docx,xls,xlsx,ppt,pptx": {
		"Microsoft":"https://view.officeapps.live.com/op/view.aspx?src=$e_url",
		"Google":"https://docs.google.com/gview?url=$e_url&embedded=true"
	},
	"pdf": {
		"PDF.js":"https://alist-org.github.io/pdf.js/web/viewer.html?file=$e_url"
	},
	"epub": {
		"EPUB.js":"https://alist-org.github.io/static/epub.js/viewer.html?url=$e_url"
	}
}`;

export const ALIST_LOGO = 'https://cdn.jsdelivr.net/gh/alist-org/logo@main/logo.svg';

/** The frontends JSON.parse these: a value that is not a JSON object would break every page. */
function jsonObject(value: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return undefined;
  } catch {
    // answered below
  }
  return 'must be a JSON object';
}

function siteUrl(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  try {
    normalizeSiteUrl(value);
    return undefined;
  } catch (err) {
    if (err instanceof SiteUrlError) return err.message;
    throw err;
  }
}

const { SINGLE, SITE, STYLE, PREVIEW, GLOBAL } = SettingGroup;
const { PRIVATE, READONLY } = SettingFlag;

/**
 * The settings this host has, in AList's order and groups, with the host's defaults where they differ from AList's:
 * its own title, no announcement, no hidden files, links that expire after 6 hours (AList: never).
 */
const DEFINITIONS: SettingDefinition[] = [
  { key: 'version', default: `gphotos-alist v${HOST_VERSION}`, type: 'string', group: SITE, flag: READONLY },
  { key: 'site_title', default: 'Photos Drive', type: 'string', group: SITE },
  { key: 'announcement', default: '', type: 'text', group: SITE },
  { key: 'pagination_type', default: 'all', type: 'select', options: 'all,pagination,load_more,auto_load_more', group: SITE },
  { key: 'default_page_size', default: '30', type: 'number', group: SITE, min: 1 },
  { key: 'robots_txt', default: 'User-agent: *\nAllow: /', type: 'text', group: SITE },
  {
    key: 'site_url', default: '', type: 'string', group: SITE, check: siteUrl,
    help: 'Where clients reach this server (e.g. https://files.example.org), for the links it hands out; empty = the listening address',
  },
  { key: 'logo', default: ALIST_LOGO, type: 'text', group: STYLE },
  { key: 'favicon', default: ALIST_LOGO, type: 'string', group: STYLE },
  { key: 'main_color', default: '#1890ff', type: 'string', group: STYLE },
  { key: 'home_icon', default: '🏠', type: 'string', group: STYLE },
  { key: 'home_container', default: 'max_980px', type: 'select', options: 'max_980px,hope_container', group: STYLE },
  { key: 'settings_layout', default: 'list', type: 'select', options: 'list,responsive', group: STYLE },
  {
    key: 'text_types', default: 'txt,htm,html,xml,java,properties,sql,js,md,json,conf,ini,vue,php,py,bat,gitignore,yml,go,sh,c,cpp,h,hpp,tsx,vtt,srt,ass,rs,lrc',
    type: 'text', group: PREVIEW,
  },
  { key: 'audio_types', default: 'mp3,flac,ogg,m4a,wav,opus,wma', type: 'text', group: PREVIEW },
  { key: 'video_types', default: 'mp4,mkv,avi,mov,rmvb,webm,flv,m3u8', type: 'text', group: PREVIEW },
  { key: 'image_types', default: 'jpg,tiff,jpeg,png,gif,bmp,svg,ico,swf,webp', type: 'text', group: PREVIEW },
  { key: 'external_previews', default: '{}', type: 'text', group: PREVIEW, check: jsonObject },
  { key: 'iframe_previews', default: IFRAME_PREVIEWS, type: 'text', group: PREVIEW, check: jsonObject },
  { key: 'audio_cover', default: ALIST_LOGO, type: 'string', group: PREVIEW },
  { key: 'audio_autoplay', default: 'true', type: 'bool', group: PREVIEW },
  { key: 'video_autoplay', default: 'true', type: 'bool', group: PREVIEW },
  { key: 'hide_files', default: '', type: 'text', group: GLOBAL, help: 'Names the web frontend hides, one /regex/flags a line' },
  { key: 'package_download', default: 'true', type: 'bool', group: GLOBAL },
  { key: 'link_expiration', default: '6', type: 'number', group: GLOBAL, flag: PRIVATE, min: 0, help: 'Hours a signed download link works; 0 = forever' },
  { key: 'sign_all', default: 'true', type: 'bool', group: GLOBAL, flag: PRIVATE, help: 'Every /d/ and /p/ link needs a sign' },
  { key: 'token', default: '', type: 'string', group: SINGLE, flag: PRIVATE },
];

const BY_KEY = new Map(DEFINITIONS.map((definition, index) => [definition.key, { definition, index }]));

export function isSettingKey(key: string): boolean {
  return BY_KEY.has(key);
}

export function settingKeys(): string[] {
  return DEFINITIONS.map((definition) => definition.key);
}

/** The item of `key` carrying `value` (the stored value, or undefined for the default). */
export function settingItem(key: string, value: string | undefined): SettingItem {
  const { definition, index } = BY_KEY.get(key)!;
  return {
    key,
    value: definition.flag === READONLY ? definition.default : value ?? definition.default,
    help: definition.help ?? '',
    type: definition.type,
    options: definition.options ?? '',
    group: definition.group,
    flag: definition.flag ?? SettingFlag.PUBLIC,
    index,
  };
}

/** Why `value` may not be stored under `key`, or undefined when it may. */
export function settingValueProblem(key: string, value: string): string | undefined {
  const { definition } = BY_KEY.get(key)!;
  switch (definition.type) {
    case 'bool':
      if (value !== 'true' && value !== 'false') return 'must be "true" or "false"';
      break;
    case 'number': {
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) return 'must be a whole number';
      if (definition.min !== undefined && Number(value) < definition.min) return `must be at least ${definition.min}`;
      break;
    }
    case 'select':
      if (!definition.options!.split(',').includes(value)) return `must be one of ${definition.options}`;
      break;
    default:
      break;
  }
  return definition.check?.(value);
}
