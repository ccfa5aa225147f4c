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
    // With the options then on screen: the first ones in the DOM may be only the active option, before the virtualizer measured its viewport.
    requestAnimationFrame(() => setTimeout(() => performance.mark('bench:packs-list-painted', { detail: { count: optionCount() } }), 0));
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;
}

export const LIST_PAINTED = `performance.getEntriesByName('bench:packs-list-painted').length > 0`;

export interface ListMarks {
  inDomMs: number;
  paintedMs: number;
  appMarkMs: number | null;
  /** The app's marks: the live half (Yjs log replay, sync) began and finished. */
  liveBeginsMs: number | null;
  liveMs: number | null;
  options: number;
  /** Options in the list at the painted mark (the frame after the first ones). */
  optionsPainted: number | null;
  responseEndMs: number;
  domContentLoadedMs: number;
  usedJsHeapMiB: number | null;
}

export const READ_LIST_MARKS = `(() => {
  const inDom = performance.getEntriesByName('bench:packs-list-in-dom')[0];
  const painted = performance.getEntriesByName('bench:packs-list-painted')[0];
  const app = performance.getEntriesByName('packs-list-rendered')[0];
  const liveBegins = performance.getEntriesByName('workspace-live-begins')[0];
  const live = performance.getEntriesByName('workspace-live')[0];
  const navigation = performance.getEntriesByType('navigation')[0];
  const memory = performance.memory;
  return {
    inDomMs: inDom.startTime,
    paintedMs: painted.startTime,
    appMarkMs: app ? app.startTime : null,
    liveBeginsMs: liveBegins ? liveBegins.startTime : null,
    liveMs: live ? live.startTime : null,
    options: inDom.detail.count,
    optionsPainted: painted.detail ? painted.detail.count : null,
    responseEndMs: navigation ? navigation.responseEnd : NaN,
    domContentLoadedMs: navigation ? navigation.domContentLoadedEventEnd : NaN,
    usedJsHeapMiB: memory ? memory.usedJSHeapSize / 1048576 : null,
  };
})()`;

/**
 * Row counts of the account's IndexedDB database (Dexie's tables are object stores). It never
 * creates the database (an open that would create it is aborted), never holds it open, and always
 * settles: before the app has created its stores the answer is {}, not a transaction over no stores
 * (which throws inside the callback, so the promise would never settle and the bench would hang).
 */
export function countRowsScript(databaseName: string, stores: readonly string[]): string {
  return `new Promise((resolve) => {
  const open = indexedDB.open(${JSON.stringify(databaseName)});
  open.onupgradeneeded = () => open.transaction.abort();
  open.onerror = () => resolve({});
  open.onblocked = () => resolve({});
  open.onsuccess = () => {
    const db = open.result;
    try {
      const names = ${JSON.stringify(stores)}.filter((name) => db.objectStoreNames.contains(name));
      if (names.length === 0) { db.close(); return resolve({}); }
      const tx = db.transaction(names, 'readonly');
      const counts = {};
      for (const name of names) {
        const request = tx.objectStore(name).count();
        request.onsuccess = () => { counts[name] = request.result; };
      }
      tx.oncomplete = () => { db.close(); resolve(counts); };
      tx.onerror = tx.onabort = () => { db.close(); resolve({}); };
    } catch (error) {
      db.close();
      resolve({});
    }
  };
  setTimeout(() => resolve({}), 10000);
})`;
}

/** Whether the app marked its live half done (the Yjs log replayed). */
export const WORKSPACE_LIVE = `performance.getEntriesByName('workspace-live').length > 0`;

/**
 * Installed before a real click at (x, y) on an option: from the click's input event (its timeStamp,
 * so time the page was busy before it could handle the click counts) until the frame after the
 * details show that pack's name and its Publications rows. Resolves to { ms, name }. Never waits
 * for ever: a click that does not reach the list within 10 s (what is at the point is named), or
 * details that do not show the pack within 30 s, reject with what the page showed.
 */
export const watchSelection = (x: number, y: number) => `new Promise((resolve, reject) => {
  const list = document.querySelector('[role="listbox"][aria-label="Integration Packs"]');
  const describe = (element) => element ? element.tagName + (element.id ? '#' + element.id : '') + (element.className ? '.' + String(element.className).split(' ').join('.') : '') + ' "' + (element.textContent || '').trim().slice(0, 60) + '"' : 'nothing';
  const noClick = setTimeout(
    () => reject(new Error('no click reached the list within 10 s; at (${x}, ${y}) is ' + describe(document.elementFromPoint(${x}, ${y})) + ', pointer-events of the list: ' + getComputedStyle(list).pointerEvents)),
    10000,
  );
  list.addEventListener('click', (event) => {
    clearTimeout(noClick);
    const option = event.target.closest('[role="option"]');
    if (!option) return reject(new Error('the click landed on ' + describe(event.target) + ', not on an option'));
    const name = option.querySelector('.pack-option-name').textContent.trim();
    const began = event.timeStamp;
    const heading = () => document.querySelector('.details-title');
    const rows = () => document.querySelectorAll('table[aria-label="Publications"] tbody th[scope="row"]').length;
    const shown = () => heading() && heading().textContent.trim() === name && rows() > 0;
    const giveUp = setTimeout(
      () => reject(new Error('selecting "' + name + '": after 30 s the details show "' + (heading()?.textContent.trim() ?? 'no heading') + '" with ' + rows() + ' Publications rows')),
      30000,
    );
    const check = () => {
      if (!shown()) return requestAnimationFrame(check);
      clearTimeout(giveUp);
      requestAnimationFrame(() => setTimeout(() => resolve({ ms: performance.now() - began, name }), 0));
    };
    check();
  }, { capture: true, once: true });
})`;

/**
 * Where an option is on screen (its centre), read while the list is on screen: the n-th (modulo) of
 * the options wholly inside both the viewport and the list's visible box, so the click lands on it
 * (options further down are rendered but below the fold), and not the selected one.
 */
export const optionCentre = (index: number) => `(() => {
  const list = document.querySelector('[role="listbox"][aria-label="Integration Packs"]');
  const bounds = list.getBoundingClientRect();
  const top = Math.max(0, bounds.top), bottom = Math.min(window.innerHeight, bounds.bottom);
  // Not the selected one: clicking it would change nothing, and the selection time would be a frame.
  const visible = [...list.querySelectorAll('[role="option"]:not([aria-selected="true"])')]
    .map((option) => option.getBoundingClientRect())
    .filter((box) => box.height > 0 && box.top >= top && box.bottom <= bottom);
  if (visible.length === 0) throw new Error('no option is wholly on screen (list from ' + bounds.top + ' to ' + bounds.bottom + ', viewport ' + window.innerHeight + ')');
  const box = visible[${index} % visible.length];
  return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
})()`;
