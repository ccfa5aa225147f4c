// Runs while the page's HTML is parsed, before the app's script has loaded (index.html): asking
// IndexedDB for its databases opens this origin's IndexedDB store on disk, which in a browser that
// has just started takes ~100-150 ms; the app opens its database a moment later and finds the store
// open (bench/cold-start: list on screen ~100 ms sooner). Nothing is created, read or kept here. Not
// on a reload: the page before it had the store open, and the extra request would only queue
// before the app's own. In a block: a classic script's top-level names would be globals.
{
  const entry = self.performance?.getEntriesByType?.('navigation')[0];
  if (self.indexedDB?.databases && entry?.type !== 'reload') indexedDB.databases().catch(() => {});
}
