import type { BaseUrlSigner } from './base-url.js';
import type { FaultInjector, RequestCounter } from './faults.js';
import type { EmulatorStore, MediaItemRecord, PickerSession } from './store.js';
import type { UploadSpool } from './upload-spool.js';

/** What every route module needs: the state, the baseUrl signer, faults, counts and the server's origin. */
export interface EmulatorContext {
  store: EmulatorStore;
  signer: BaseUrlSigner;
  faults: FaultInjector;
  /** Latency and failures of media bytes (/media), set apart from the API's. */
  mediaFaults: FaultInjector;
  counter: RequestCounter;
  /** Where uploaded bytes are kept (a temp folder removed on close). */
  spool: UploadSpool;
  origin: string;   // e.g. http://127.0.0.1:40123, set once listening
  defaultClientId: string;
  libraryBaseUrl(item: MediaItemRecord): string;
  pickedBaseUrl(item: MediaItemRecord, session: PickerSession): string;
}
