/** The export formats and the file each writes. Kept apart so the CLI can name them without loading the writers. */
export const EXPORT_FORMATS = ['csv-wide', 'csv-long', 'jsonl', 'parquet', 'panel', 'quality'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FILE_NAMES: Record<ExportFormat, string> = {
  'csv-wide': 'reports_wide.csv',
  'csv-long': 'cells_long.csv',
  jsonl: 'records.jsonl',
  parquet: 'reports.parquet',
  panel: 'panel.csv',
  // And its tables as quality/*.csv (src/quality).
  quality: 'quality.html',
};
