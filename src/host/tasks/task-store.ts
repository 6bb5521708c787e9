import type { HostDatabase } from '../state/database.js';
import type { TaskKind, TaskStateNumber } from './task-state.js';

/** One row of `tasks`. `payload` is the kind's own JSON (what to copy or upload, from where to where). */
export interface TaskRow {
  id: string;
  kind: TaskKind;
  name: string;
  state: TaskStateNumber;
  status: string;
  payload: string;
  done_bytes: number;
  total_bytes: number;
  error: string;
  /** How many times the task started running; above 0 a run is a resumption. */
  attempts: number;
  creator_id: number;
  /** The kind's own progress details as JSON (e.g. a keep job's file counts). */
  detail: string;
  created_at: string;
  start_time: string | null;
  end_time: string | null;
}

export type TaskPatch = Partial<Omit<TaskRow, 'id' | 'kind' | 'payload' | 'creator_id'>>;

const PATCHABLE = ['name', 'state', 'status', 'done_bytes', 'total_bytes', 'error', 'attempts', 'detail', 'start_time', 'end_time'] as const;

/** The tasks table, plus per task the source paths already copied (so a resumed copy skips them). */
export class TaskStore {
  constructor(private readonly db: HostDatabase) {}

  insert(row: TaskRow): void {
    this.db
      .prepare(`INSERT INTO tasks (id, kind, name, state, status, payload, done_bytes, total_bytes, error, attempts, creator_id, detail, created_at, start_time, end_time)
        VALUES (@id, @kind, @name, @state, @status, @payload, @done_bytes, @total_bytes, @error, @attempts, @creator_id, @detail, @created_at, @start_time, @end_time)`)
      .run(row);
  }

  update(id: string, patch: TaskPatch): void {
    const fields = PATCHABLE.filter((field) => patch[field] !== undefined);
    if (fields.length === 0) return;
    const values: Record<string, unknown> = { id };
    for (const field of fields) values[field] = patch[field];
    this.db.prepare(`UPDATE tasks SET ${fields.map((field) => `${field} = @${field}`).join(', ')} WHERE id = @id`).run(values);
  }

  get(id: string): TaskRow | undefined {
    return this.db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
  }

  /** Oldest first. */
  byStates(kind: TaskKind, states: readonly number[]): TaskRow[] {
    if (states.length === 0) return [];
    return this.db
      .prepare(`SELECT * FROM tasks WHERE kind = ? AND state IN (${states.map(() => '?').join(', ')}) ORDER BY rowid`)
      .all(kind, ...states) as TaskRow[];
  }

  /** Newest first. */
  newest(kind: TaskKind, limit: number): TaskRow[] {
    return this.db.prepare('SELECT * FROM tasks WHERE kind = ? ORDER BY rowid DESC LIMIT ?').all(kind, limit) as TaskRow[];
  }

  delete(id: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM task_done_files WHERE task_id = ?').run(id);
      this.db.prepare('DELETE FROM tasks WHERE id = ?').run(id);
    })();
  }

  markFileDone(id: string, path: string, doneBytes: number): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO task_done_files (task_id, path) VALUES (?, ?)').run(id, path);
      this.db.prepare('UPDATE tasks SET done_bytes = ? WHERE id = ?').run(doneBytes, id);
    })();
  }

  doneFiles(id: string): Set<string> {
    const rows = this.db.prepare('SELECT path FROM task_done_files WHERE task_id = ?').all(id) as Array<{ path: string }>;
    return new Set(rows.map((row) => row.path));
  }
}
