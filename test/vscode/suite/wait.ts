// Waits of the suites that run inside VS Code: on a VS Code event or a promise, with a deadline,
// never a fixed sleep. A deadline's message says what was awaited and what there was instead.
import type * as vscode from 'vscode';

/** Resolves with the first truthy value of `check`, tried now and after each `event`. */
export function waitFor<T>(event: vscode.Event<unknown>, check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      listener.dispose();
      settle();
    };
    const tryCheck = () => {
      const value = check();
      if (value) finish(() => resolve(value));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`))), timeoutMs);
    const listener = event(tryCheck);
    tryCheck();
  });
}

export function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
