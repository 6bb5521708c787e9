import { MemoryPickerSessionStore, type PickerSessionRecord } from '../../src/driver/google-photos/picker-sessions.js';

/** A store that records what the driver asks of it. */
export class RecordingStore extends MemoryPickerSessionStore {
  readonly calls: string[] = [];
  override save(record: PickerSessionRecord): void {
    this.calls.push(`save ${record.id}`);
    super.save(record);
  }
  override remove(id: string): void {
    this.calls.push(`remove ${id}`);
    super.remove(id);
  }
}
