/**
 * Account settings: the publisher's time zone (release dates begin at midnight there; every date and
 * time on the page, in History, on the managed page and in the extension is written in it) and the
 * locale dates are written in, with a preview. Admins change them (SET_ACCOUNT_SETTINGS, queued when
 * offline); viewers see them.
 */
import { createMemo, createSignal, createUniqueId, For } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { LOCALE_CHOICES } from '../../../shared/account-settings.ts';
import { dateStyleOf, formatDate, formatDateTime } from '../../../shared/date-format.ts';
import { Dialog } from '../dialogs/Dialog.tsx';
import { DialogActions } from '../dialogs/DialogActions.tsx';
import { type Outcome, outcomeText } from '../format.ts';
import { canEdit } from '../WorkspaceContext.tsx';

/** Every zone the browser knows, UTC first. */
function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...known])];
}

export default function AccountSettingsDialog(props: { workspace: Workspace; onClose: (outcome?: Outcome) => void }) {
  const ids = { zone: createUniqueId(), locale: createUniqueId(), preview: createUniqueId() };
  const current = () => dateStyleOf(props.workspace.account());
  const [timeZone, setTimeZone] = createSignal(current().timeZone);
  const [locale, setLocale] = createSignal(current().locale);
  const [failure, setFailure] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const zones = createMemo(() => timeZones(current().timeZone));
  const locales = () =>
    LOCALE_CHOICES.some((choice) => choice.locale === current().locale)
      ? LOCALE_CHOICES
      : [{ locale: current().locale, label: current().locale }, ...LOCALE_CHOICES];
  const preview = () => {
    const style = { timeZone: timeZone(), locale: locale() };
    const now = new Date();
    return `${formatDateTime(now, style)}; a Release Date: ${formatDate(now.toISOString().slice(0, 10), style)}`;
  };
  const editable = () => canEdit(props.workspace);
  const changed = () => timeZone() !== current().timeZone || locale() !== current().locale;

  const save = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const result = await props.workspace.setAccountSettings({
        ...(timeZone() !== current().timeZone ? { timeZone: timeZone() } : {}),
        ...(locale() !== current().locale ? { locale: locale() } : {}),
      });
      if (!result.ok) return setFailure(result.error.message);
      const outcome = outcomeText(result.value);
      if (outcome.ok) props.onClose(outcome);
      else setFailure(outcome.text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Account settings" class="settings-dialog" onClose={() => props.onClose()}>
      <fieldset class="plain" disabled={!editable()}>
        <div class="field">
          <label for={ids.zone}>Time zone</label>
          <select
            id={ids.zone}
            value={timeZone()}
            onChange={(event) => setTimeZone(event.currentTarget.value)}
            aria-describedby={`${ids.zone}-hint`}
          >
            <For each={zones()}>{(zone) => <option value={zone}>{zone}</option>}</For>
          </select>
          <p id={`${ids.zone}-hint`} class="hint">
            Pending releases are applied at the start of their Release Date in this time zone, and every date and time is shown in it.
          </p>
        </div>
        <div class="field">
          <label for={ids.locale}>Date and time format</label>
          <select id={ids.locale} value={locale()} onChange={(event) => setLocale(event.currentTarget.value)}>
            <For each={locales()}>{(choice) => <option value={choice.locale}>{choice.label}</option>}</For>
          </select>
        </div>
      </fieldset>
      <p id={ids.preview} class="settings-preview" aria-live="polite">
        Now: {preview()}
      </p>
      {editable() ? null : <p class="hint">Only admins can change the account settings.</p>}
      <DialogActions error={failure()} okDisabled={busy() || !editable() || !changed()} onOk={save} onCancel={() => props.onClose()} />
    </Dialog>
  );
}
