/**
 * The wide table as Parquet: report columns typed (STRING, INT32, DATE, TIMESTAMP), every field a nullable
 * DOUBLE (counts are whole numbers, but a source can print a fraction — the `not_integer` issue —
 * and money in yuan can have fen). Rows are written in row groups as they stream in.
 */
import { rename, rm } from 'node:fs/promises';
import { ParquetWriter, type SchemaElement, fileWriter } from 'hyparquet-writer';
import type { StoredRecord } from '../store/index.js';
import { type Cell, type MetaColumn, REPORT_COLUMNS } from './columns.js';
import type { ExportField } from './fields.js';
import { wideRow } from './rows.js';

/** Rows per row group: bounds memory (rows are held until their group is written). */
export const DEFAULT_ROW_GROUP = 5_000;

function metaElement(c: MetaColumn): SchemaElement {
  switch (c.type) {
    case 'INT32':
      return { name: c.name, type: 'INT32', repetition_type: 'OPTIONAL' };
    case 'DATE':
      return { name: c.name, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' }, repetition_type: 'OPTIONAL' };
    case 'TIMESTAMP':
      return { name: c.name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' }, repetition_type: 'OPTIONAL' };
    case 'STRING':
      return { name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'OPTIONAL' };
  }
}

/** A CSV cell as the Parquet value of its column's type: dates and timestamps become Date. */
function parquetValue(c: MetaColumn | undefined, v: Cell): Cell | Date {
  if (v === null || !c) return v;
  if (c.type === 'DATE') return new Date(`${String(v)}T00:00:00Z`);
  if (c.type === 'TIMESTAMP') return new Date(String(v));
  return v;
}

export function wideParquetSchema(fields: readonly ExportField[]): SchemaElement[] {
  const meta = REPORT_COLUMNS.map(metaElement);
  const values = fields.map((f): SchemaElement => ({ name: f.code, type: 'DOUBLE', repetition_type: 'OPTIONAL' }));
  return [{ name: 'root', num_children: meta.length + values.length }, ...meta, ...values];
}

export interface ParquetSink {
  readonly path: string;
  add(s: StoredRecord): void;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export function openWideParquet(path: string, fields: readonly ExportField[], kvMetadata: Record<string, string> = {}, rowGroupSize = DEFAULT_ROW_GROUP): ParquetSink {
  const partial = `${path}.partial`;
  const schema = wideParquetSchema(fields);
  const names = schema.slice(1).map((e) => e.name);
  const writer = new ParquetWriter({
    writer: fileWriter(partial),
    schema,
    kvMetadata: Object.entries(kvMetadata).map(([key, value]) => ({ key, value })),
    createdBy: 'nianbao',
  });
  let columns: (Cell | Date)[][] = names.map(() => []);
  let rows = 0;

  const flush = () => {
    if (rows === 0) return;
    writer.write({ columnData: names.map((name, i) => ({ name, data: columns[i]! })), rowGroupSize });
    columns = names.map(() => []);
    rows = 0;
  };

  return {
    path,
    add(s) {
      const row = wideRow(s, fields);
      for (let i = 0; i < row.length; i++) columns[i]!.push(parquetValue(REPORT_COLUMNS[i], row[i]!));
      if (++rows >= rowGroupSize) flush();
    },
    async commit() {
      flush();
      await writer.finish();
      await rename(partial, path);
    },
    async abort() {
      await rm(partial, { force: true });
    },
  };
}
