// A worker thread of a CloudTrail import (readers.ts), bundled as dist/auditImportWorker.js: reads,
// inflates, parses and converts one file per task and sends back its events, counts and problems.
import { serveTasks } from '../workerPool';
import { fileReadTransfer, readFileForWorker, type FileRead, type ImportTask } from './readers';

serveTasks<ImportTask, FileRead>(({ path, maxFileBytes }) => readFileForWorker(path, maxFileBytes), fileReadTransfer);
