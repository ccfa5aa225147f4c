/**
 * Scripts run in the page. Plain JavaScript text, not functions: tsx compiles functions with helpers
 * (__name) that do not exist in the page.
 *
 * The init script runs before the page's own scripts: it stores the session the sign-in would have
 * stored, and marks the moment the Integration Packs list first holds options
 * (`bench:packs-list-in-dom`, with the option count) and the frame after it
 * (`bench:packs-list-painted`: a requestAnimationFrame callback runs right before the frame is
 * painted, its timeout after the frame is out). If the app marks `packs-list-rendered` itself, the
 * bench reads that too.
 */

export function pageMarksScript(sessionKey: string, session: unknown): string {
  return `(() => {
  if (!localStorage.getItem(${JSON.stringify(sessionKey)})) localStorage.setItem(${JSON.stringify(sessionKey)}, ${JSON.stringify(JSON.stringify(session))});
  const optionCount = () => {
    const list = document.querySelector('[role="listbox"][aria-label="Integration Packs"]') || document.querySelector('[role="listbox"]');
    return list ? list.querySelectorAll('[role="option"]').length : 0;
  };
  const observer = new MutationObserver(() => {
    const count = optionCount();
    if (count === 0) return;
    observer.disconnect();
    performance.mark('bench:packs-list-in-dom', { detail: { count } });
    requestAnimationFrame(() => setTimeout(() => performance.mark('bench:packs-list-painted'), 0));
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;
}

export const LIST_PAINTED = `performance.getEntriesByName('bench:packs-list-painted').length > 0`;

export interface ListMarks {
  inDomMs: number;
  paintedMs: number;
  appMarkMs: number | null;
  options: number;
  responseEndMs: number;
  domContentLoadedMs: number;
  usedJsHeapMiB: number | null;
}

export const READ_LIST_MARKS = `(() => {
  const inDom = performance.getEntriesByName('bench:packs-list-in-dom')[0];
  const painted = performance.getEntriesByName('bench:packs-list-painted')[0];
  const app = performance.getEntriesByName('packs-list-rendered')[0];
  const navigation = performance.getEntriesByType('navigation')[0];
  const memory = performance.memory;
  return {
    inDomMs: inDom.startTime,
    paintedMs: painted.startTime,
    appMarkMs: app ? app.startTime : null,
    options: inDom.detail.count,
    responseEndMs: navigation ? navigation.responseEnd : NaN,
    domContentLoadedMs: navigation ? navigation.domContentLoadedEventEnd : NaN,
    usedJsHeapMiB: memory ? memory.usedJSHeapSize / 1048576 : null,
  };
})()`;

/** Row counts of the account's IndexedDB database (Dexie's tables are object stores). */
export function countRowsScript(databaseName: string, stores: readonly string[]): string {
  return `new Promise((resolve, reject) => {
  const open = indexedDB.open(${JSON.stringify(databaseName)});
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const names = ${JSON.stringify(stores)}.filter((name) => db.objectStoreNames.contains(name));
    const tx = db.transaction(names, 'readonly');
    const counts = {};
    for (const name of names) {
      const request = tx.objectStore(name).count();
      request.onsuccess = () => { counts[name] = request.result; };
    }
    tx.oncomplete = () => { db.close(); resolve(counts); };
    tx.onerror = () => reject(tx.error);
  };
})`;
}
