/** Options: server address and token, saved in chrome.storage.local, with a check that they work. */
import { getAccountSummary } from './server-api.ts';
import { DEFAULT_SERVER_URL, optionalPermissionFor, parseServerUrl, parseToken, type Settings } from './settings.ts';
import { StorageKey } from './state.ts';
import type { Result } from '../../shared/result.ts';
import { agree, countOf, Noun } from '../../shared/words.ts';

const form = document.querySelector<HTMLFormElement>('#form')!;
const serverInput = document.querySelector<HTMLInputElement>('#server')!;
const tokenInput = document.querySelector<HTMLInputElement>('#token')!;
const checkButton = document.querySelector<HTMLButtonElement>('#check')!;
const result = document.querySelector<HTMLElement>('#result')!;

function show(ok: boolean, message: string): void {
  result.dataset.ok = String(ok);
  result.textContent = message;
}

function readForm(): Result<Settings> {
  for (const input of [serverInput, tokenInput]) input.removeAttribute('aria-invalid');
  const serverUrl = parseServerUrl(serverInput.value);
  if (!serverUrl.ok) {
    serverInput.setAttribute('aria-invalid', 'true');
    return serverUrl;
  }
  const token = parseToken(tokenInput.value);
  if (!token.ok) {
    tokenInput.setAttribute('aria-invalid', 'true');
    return token;
  }
  return { ok: true, value: { serverUrl: serverUrl.value, token: token.value } };
}

async function check(settings: Settings): Promise<{ ok: boolean; message: string }> {
  const pattern = optionalPermissionFor(settings.serverUrl);
  if (pattern && !(await chrome.permissions.contains({ origins: [pattern] })))
    return { ok: false, message: `The extension may not reach ${settings.serverUrl} yet: click Save and allow access.` };
  const answer = await getAccountSummary(settings, (input, init) => fetch(input, init));
  if (!answer.ok) return { ok: false, message: answer.error.message };
  const { me, summary } = answer.value;
  return {
    ok: true,
    message: `It works: ${me.personName} (${me.role}) of ${summary.accountName} (${summary.accountId}); ${countOf(summary.badgeCount, Noun.pack)} ${agree(summary.badgeCount, { one: 'needs', other: 'need' })} attention.`,
  };
}

checkButton.addEventListener('click', async () => {
  const settings = readForm();
  if (!settings.ok) return show(false, settings.error.message);
  show(true, 'Checking…');
  const outcome = await check(settings.value);
  show(outcome.ok, outcome.message);
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const settings = readForm();
  if (!settings.ok) return show(false, settings.error.message);
  // Asked first, while the click still counts as a user gesture.
  const pattern = optionalPermissionFor(settings.value.serverUrl);
  if (pattern && !(await chrome.permissions.request({ origins: [pattern] })))
    return show(false, `Not saved: access to ${settings.value.serverUrl} was not allowed, so the extension could not reach it.`);
  // A new server or token starts from an empty cache; saving the settings makes the worker refresh.
  await chrome.storage.local.remove([StorageKey.cache, StorageKey.notifiedReleases]);
  await chrome.storage.local.set({ [StorageKey.settings]: settings.value });
  show(true, 'Saved. Checking…');
  const outcome = await check(settings.value);
  show(outcome.ok, outcome.ok ? `Saved. ${outcome.message}` : `Saved, but it does not work yet: ${outcome.message}`);
});

const saved = (await chrome.storage.local.get(StorageKey.settings))[StorageKey.settings] as Settings | undefined;
serverInput.value = saved?.serverUrl ?? DEFAULT_SERVER_URL;
tokenInput.value = saved?.token ?? '';
document.body.dataset.ready = 'true';
