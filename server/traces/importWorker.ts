// A worker thread of a trace import (importTraces.ts), bundled as dist/traceImportWorker.js: reads
// one file, or one run of a large file's elements, per task (importTasks.ts) and sends back its spans.
import { serveTasks } from '../workerPool';
import { importResultTransfer, runImportTask, type ImportTask, type ImportTaskResult } from './importTasks';

serveTasks<ImportTask, ImportTaskResult>(runImportTask, importResultTransfer);
