// Opens the stores the server and the CLI write to. Another process (a second VS Code window,
// a CLI import) may hold a store's lock: then it is opened read-only and the caller is told why.
import { Store, StoreLockedError, type StoreOptions } from './store/store';

export interface OpenedStore {
  store: Store;
  readOnly: boolean;
  /** Why the store is read-only or what recovery found, for the log and the user. */
  problems: string[];
}

export function openStore(dir: string, options: StoreOptions): OpenedStore {
  try {
    const store = Store.open(dir, options);
    return { store, readOnly: false, problems: [...store.problems] };
  } catch (error) {
    if (!(error instanceof StoreLockedError)) throw error;
    const store = Store.open(dir, { ...options, readOnly: true });
    return { store, readOnly: true, problems: [`${error.message} Sightline shows what it holds but cannot add to it.`, ...store.problems] };
  }
}

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;
