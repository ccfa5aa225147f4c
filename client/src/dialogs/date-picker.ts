/** Opens the browser's calendar on a click anywhere in a date field (not only on its icon). */
export function openPicker(input: HTMLInputElement): void {
  try {
    input.showPicker();
  } catch {
    // Not allowed here (no user gesture, a cross-origin frame): typing the date still works.
  }
}
