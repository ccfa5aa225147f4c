import type Database from 'better-sqlite3';
import type { RecordChange } from '../records/changes.ts';

/** Writes record changes into the tables, inside the caller's transaction. */
export function createRecordWriter(db: Database.Database): (accountId: string, changes: readonly RecordChange[]) => void;
