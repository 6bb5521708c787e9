import { readFileSync } from 'node:fs';

const HOST_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

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

const ALIST_LOGO = 'https://cdn.jsdelivr.net/gh/alist-org/logo@main/logo.svg';

/**
 * What AList's /api/public/settings answers (its PUBLIC and READONLY setting items, every value a string), with
 * AList's defaults where the host has no such setting, and the host's truth where it differs: its own name and
 * version, no announcement, no hidden files, no OCR, no search index, and no WebAuthn, SSO or LDAP login.
 */
export function publicSettings(): Record<string, string> {
  return {
    version: `gphotos-alist v${HOST_VERSION}`,
    // The name the host's own pages carry (it has no site title setting).
    site_title: 'Photos Drive',
    announcement: '',
    pagination_type: 'all',
    default_page_size: '30',
    allow_indexed: 'false',
    allow_mounted: 'true',
    robots_txt: 'User-agent: *\nAllow: /',
    logo: ALIST_LOGO,
    favicon: ALIST_LOGO,
    main_color: '#1890ff',
    home_icon: '🏠',
    home_container: 'max_980px',
    settings_layout: 'list',
    text_types: 'txt,htm,html,xml,java,properties,sql,js,md,json,conf,ini,vue,php,py,bat,gitignore,yml,go,sh,c,cpp,h,hpp,tsx,vtt,srt,ass,rs,lrc',
    audio_types: 'mp3,flac,ogg,m4a,wav,opus,wma',
    video_types: 'mp4,mkv,avi,mov,rmvb,webm,flv,m3u8',
    image_types: 'jpg,tiff,jpeg,png,gif,bmp,svg,ico,swf,webp',
    external_previews: '{}',
    iframe_previews: IFRAME_PREVIEWS,
    audio_cover: ALIST_LOGO,
    audio_autoplay: 'true',
    video_autoplay: 'true',
    hide_files: '',
    package_download: 'true',
    ocr_api: '',
    filename_char_mapping: '{"/": "|"}',
    forward_direct_link_params: 'false',
    ignore_direct_link_params: 'sign,alist_ts',
    search_index: 'none',
    auto_update_index: 'false',
    webauthn_login_enabled: 'false',
    sso_login_enabled: 'false',
    sso_login_platform: '',
    sso_compatibility_mode: 'false',
    ldap_login_enabled: 'false',
    ldap_login_tips: '',
    // OpenList's frontend (4.x) reads these as well; OpenList's defaults, except where the host lacks the feature
    // (no shares, no archive previews, no chunked "multipart" upload: the frontend then uses fs/put and fs/form).
    share_icon: '🎁',
    show_disk_usage_in_plain_text: 'false',
    preview_download_by_default: 'false',
    preview_archives_by_default: 'false',
    share_preview: 'false',
    share_archive_preview: 'false',
    share_preview_download_by_default: 'true',
    share_preview_archives_by_default: 'false',
    share_summary_content: '',
    readme_autorender: 'true',
    filter_readme_scripts: 'true',
    multipart_enabled: 'false',
  };
}
