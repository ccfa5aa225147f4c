/**
 * The browser's online/offline events drive the sync socket. Without this an open WebSocket can
 * outlive the network going away (emulated offline, captive portals, a dead Wi-Fi that still looks
 * up), and the page would claim "Syncing" while nothing reaches the server.
 */
import type { Workspace } from '../core/api.ts';

/** Whether to connect at start: not when the browser already knows it is offline. */
export const startOnline = (): boolean => typeof navigator === 'undefined' || navigator.onLine !== false;

/** Disconnects on `offline`, reconnects on `online`; returns the function that stops following. */
export function followBrowserConnectivity(workspace: Pick<Workspace, 'connect' | 'disconnect'>): () => void {
  const offline = () => workspace.disconnect();
  const online = () => workspace.connect();
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);
  return () => {
    window.removeEventListener('offline', offline);
    window.removeEventListener('online', online);
  };
}
