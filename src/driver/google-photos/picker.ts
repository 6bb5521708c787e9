import { isDriverError } from '../../types/errors.js';
import type { TokenManager } from './auth.js';
import { AuthorizedApi, allPages } from './authorized-api.js';
import type { GoogleHttp } from './http.js';
import { emptyAnswerSchema, pickerSchemas, type PickedMediaItem, type PickingSession } from './picker-schemas.js';
import { upstreamUrlSchema } from './upstream-urls.js';

/** Google's page size maximum for picked items. */
const PICKED_PAGE_SIZE = 100;
export const MAX_PICK_ITEM_COUNT = 2000;

/**
 * The Picker API calls. Endpoint names start with "picker." so that errors.ts translates a 404 into
 * PICKER_SESSION_EXPIRED and names the picker scope and API.
 */
export class PickerClient {
  private readonly api: AuthorizedApi;
  /** URLs in answers (pickerUri, baseUrl) must be https, or plain http on this API's own origin (an emulator's). */
  private readonly schemas: ReturnType<typeof pickerSchemas>;

  constructor(baseUrl: string, http: GoogleHttp, tokens: TokenManager) {
    this.api = new AuthorizedApi(baseUrl, http, tokens);
    this.schemas = pickerSchemas(upstreamUrlSchema(baseUrl));
  }

  createSession(maxItemCount?: number): Promise<PickingSession> {
    // maxItemCount is an int64: proto3 JSON writes it as a string.
    const json = maxItemCount === undefined ? {} : { pickingConfig: { maxItemCount: String(maxItemCount) } };
    return this.api.call({ endpoint: 'picker.sessions.create', method: 'POST', path: '/sessions', json }, this.schemas.pickingSession);
  }

  getSession(sessionId: string): Promise<PickingSession> {
    return this.api.call(
      { endpoint: 'picker.sessions.get', method: 'GET', path: `/sessions/${encodeURIComponent(sessionId)}`, subjectId: sessionId },
      this.schemas.pickingSession,
    );
  }

  /** Ends the session at Google; a session Google no longer knows (expired, deleted) counts as deleted. */
  async deleteSession(sessionId: string): Promise<void> {
    try {
      await this.api.call(
        { endpoint: 'picker.sessions.delete', method: 'DELETE', path: `/sessions/${encodeURIComponent(sessionId)}`, subjectId: sessionId },
        emptyAnswerSchema,
      );
    } catch (error) {
      if (isDriverError(error) && error.status === 404) return;
      throw error;
    }
  }

  /** Every picked item of a session, all pages. FAILED_PRECONDITION (PICKER_NOT_READY) while the user is still picking. */
  listMediaItems(sessionId: string): Promise<PickedMediaItem[]> {
    return allPages((pageToken) =>
      this.api
        .call(
          {
            endpoint: 'picker.mediaItems.list',
            method: 'GET',
            path: '/mediaItems',
            query: { sessionId, pageSize: PICKED_PAGE_SIZE, pageToken },
            subjectId: sessionId,
          },
          this.schemas.pickedMediaItemPage,
        )
        .then((page) => ({ items: page.mediaItems ?? [], next: page.nextPageToken })),
    );
  }
}
