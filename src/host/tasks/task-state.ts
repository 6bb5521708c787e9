/** AList's task states (xhofe/tache), by number: the API shows these numbers. */
export const TaskState = {
  Pending: 0,
  Running: 1,
  Succeeded: 2,
  Canceling: 3,
  Canceled: 4,
  Errored: 5,
  Failing: 6,
  Failed: 7,
  WaitingRetry: 8,
  BeforeRetry: 9,
} as const;

export type TaskStateNumber = (typeof TaskState)[keyof typeof TaskState];

/** What /api/task/<kind>/undone lists (AList's set). */
export const UNDONE_STATES: readonly TaskStateNumber[] = [
  TaskState.Pending, TaskState.Running, TaskState.Canceling, TaskState.Errored, TaskState.Failing, TaskState.WaitingRetry, TaskState.BeforeRetry,
];

/** What /api/task/<kind>/done lists. */
export const DONE_STATES: readonly TaskStateNumber[] = [TaskState.Canceled, TaskState.Failed, TaskState.Succeeded];

/** The task kinds, each with its own route group /api/task/<kind>/ (keep jobs are shown by their own route). */
export type TaskKind = 'upload' | 'copy' | 'keep';

/** A task as AList's API shows it. */
export interface TaskInfo {
  id: string;
  name: string;
  state: TaskStateNumber;
  status: string;
  /** Percent, 0..100. */
  progress: number;
  start_time: string | null;
  end_time: string | null;
  total_bytes: number;
  error: string;
}
