/**
 * Whether an element's content is wider than the element (a table scrolling sideways on a phone).
 * A scrolling region must be reachable by keyboard, but a tab stop on one that does not scroll is
 * noise: callers make the region focusable only while it overflows. Call inside onMount.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';

export function trackOverflow(element: HTMLElement, set: (overflowing: boolean) => void): void {
  const observer = new ResizeObserver(() => set(element.scrollWidth > element.clientWidth + 1));
  observer.observe(element);
  if (element.firstElementChild) observer.observe(element.firstElementChild);
  onCleanup(() => observer.disconnect());
}

export function createOverflowSignal(): [Accessor<boolean>, (element: HTMLElement) => void] {
  const [overflowing, setOverflowing] = createSignal(false);
  return [overflowing, (element) => trackOverflow(element, setOverflowing)];
}
