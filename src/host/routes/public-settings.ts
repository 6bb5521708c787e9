import { SettingFlag } from '../state/setting-items.js';
import type { SettingsStore } from '../state/settings-store.js';

/**
 * Keys of AList's public settings that the host has no setting for, at the values that say what the host does:
 * no search index, no OCR, no WebAuthn, SSO or LDAP login (AList's defaults otherwise).
 */
const FIXED: Record<string, string> = {
  allow_indexed: 'false',
  allow_mounted: 'true',
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

/**
 * What AList's /api/public/settings answers: its PUBLIC and READONLY setting items as a string map, read from the
 * stored settings (never a PRIVATE one such as `token`, `sign_all` or `link_expiration`), and the fixed keys above.
 */
export function publicSettings(settings: SettingsStore): Record<string, string> {
  const answer: Record<string, string> = { ...FIXED };
  for (const item of settings.items()) {
    if (item.flag === SettingFlag.PUBLIC || item.flag === SettingFlag.READONLY) answer[item.key] = item.value;
  }
  return answer;
}
