import type { HostDatabase } from '../state/database.js';
import { placeholders } from '../state/sql-database.js';
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

const COLUMNS = ['id', 'kind', 'name', 'state', 'status', 'payload', 'done_bytes', 'total_bytes', 'error', 'attempts', 'creator_id', 'detail',
  'created_at', 'start_time', 'end_time'] as const;
const PATCHABLE = ['name', 'state', 'status', 'done_bytes', 'total_bytes', 'error', 'attempts', 'detail', 'start_time', 'end_time'] as const;

/** The tasks table, plus per task the source paths already copied (so a resumed copy skips them). */
export class TaskStore {
  constructor(private readonly db: HostDatabase) {}

  async insert(row: TaskRow): Promise<void> {
    await this.db.run(`INSERT INTO tasks (${COLUMNS.join(', ')}) VALUES (${placeholders(COLUMNS.length)})`, COLUMNS.map((name) => row[name]));
  }

  async update(id: string, patch: TaskPatch): Promise<void> {
    const fields = PATCHABLE.filter((field) => patch[field] !== undefined);
    if (fields.length === 0) return;
    await this.db.run(`UPDATE tasks SET ${fields.map((field) => `${field} = ?`).join(', ')} WHERE id = ?`, [...fields.map((field) => patch[field]), id]);
  }

  async get(id: string): Promise<TaskRow | undefined> {
    return this.db.get<TaskRow>(`SELECT ${COLUMNS.join(', ')} FROM tasks WHERE id = ?`, [id]);
  }

  /** Oldest first. */
  async byStates(kind: TaskKind, states: readonly number[]): Promise<TaskRow[]> {
    if (states.length === 0) return [];
    return this.db.all<TaskRow>(`SELECT ${COLUMNS.join(', ')} FROM tasks WHERE kind = ? AND state IN (${placeholders(states.length)})
      ORDER BY ${this.db.insertionOrder}`, [kind, ...states]);
  }

  /** Newest first. */
  async newest(kind: TaskKind, limit: number): Promise<TaskRow[]> {
    return this.db.all<TaskRow>(`SELECT ${COLUMNS.join(', ')} FROM tasks WHERE kind = ? ORDER BY ${this.db.insertionOrder} DESC LIMIT ?`, [kind, limit]);
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM task_done_files WHERE task_id = ?', [id]);
      await tx.run('DELETE FROM tasks WHERE id = ?', [id]);
    });
  }

  async markFileDone(id: string, path: string, doneBytes: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO task_done_files (task_id, path) VALUES (?, ?) ON CONFLICT DO NOTHING', [id, path]);
      await tx.run('UPDATE tasks SET done_bytes = ? WHERE id = ?', [doneBytes, id]);
    });
  }

  async doneFiles(id: string): Promise<Set<string>> {
    const rows = await this.db.all<{ path: string }>('SELECT path FROM task_done_files WHERE task_id = ?', [id]);
    return new Set(rows.map((row) => row.path));
  }
}
