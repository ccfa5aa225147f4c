/**
 * A click on a pack opens it, even right after the list scrolled. The virtualized list (virtua) turns
 * pointer events off on the listbox while it scrolls and for 150 ms after the last scroll event; a
 * click in that window fell through to the scroll container and did nothing. The same window opened
 * whenever the list scrolled itself (Playwright's scroll into view, virtua's jump fix after options
 * are measured), which made `openPack` right after sign-in lose its click now and then.
 */
import { detailsHeading, toList, VIEWPORTS } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { adminToken, packList, signIn } from './page-helpers.ts';

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    // Short enough that the demo's packs do not all fit: the list scrolls.
    test.use({ viewport: { width: viewport.width, height: 420 } });

    test('a click right after the list scrolled opens the pack under the pointer', async ({ page, server }) => {
      await signIn(page, adminToken(server, 1));
      await toList(page);
      await expect(packList(page).getByRole('option').first()).toBeVisible();
      // Scroll the list as a wheel would, and find the option under a point of it while it still counts as scrolling.
      const target = await packList(page).evaluate(async (listbox) => {
        const scroller = listbox.parentElement!;
        if (scroller.scrollHeight <= scroller.clientHeight) throw new Error('the list does not scroll at this size');
        const scrolled = new Promise((done) => scroller.addEventListener('scroll', done, { once: true }));
        scroller.scrollTop += 30;
        await scrolled;
        await new Promise(requestAnimationFrame);
        const box = scroller.getBoundingClientRect();
        const x = box.left + box.width / 2;
        const y = box.top + Math.min(box.height / 2, 60);
        // By geometry: hit testing itself skips elements with pointer events off.
        const option = [...listbox.querySelectorAll('[role=option]')].find((element) => {
          const rect = element.getBoundingClientRect();
          return rect.top <= y && y < rect.bottom;
        });
        return { x, y, name: option?.querySelector('.pack-option-name')?.textContent ?? '' };
      });
      expect(target.name).not.toBe('');
      await page.mouse.click(target.x, target.y);
      await expect(detailsHeading(page)).toHaveText(target.name);
    });
  });
}
