/**
 * Integration Pack Type: Single Attachment or Multiple Attachments, chosen before the first Save and
 * fixed after it. Explains both and that the choice is permanent. Only where the account has the
 * multi-install feature.
 */
import { createUniqueId, For, Show } from 'solid-js';
import { InstallationType, installationTypeLabel, type PublisherAccount } from '../../../shared/model.ts';
import { API_SERVICE_IN_MULTI_REASON, allowedInstallationTypes, showsInstallationTypeList } from '../../../shared/rules.ts';

export function TypeChoice(props: {
  account: PublisherAccount | undefined;
  isNew: boolean;
  value: InstallationType;
  onChange: (type: InstallationType) => void;
  error: string | undefined;
}) {
  const id = createUniqueId();
  const account = () => props.account ?? { multiInstallEnabled: false };
  return (
    <Show when={showsInstallationTypeList(account())}>
      <fieldset class="field radio-group" disabled={!props.isNew} aria-describedby={`${id}-explained`}>
        <legend>Integration Pack Type</legend>
        <div class="radio-options">
          <For each={allowedInstallationTypes(account())}>
            {(option) => (
              <label class="radio">
                <input
                  type="radio"
                  name={`${id}-type`}
                  value={option}
                  checked={props.value === option}
                  onChange={() => props.onChange(option)}
                />
                {installationTypeLabel[option]}
              </label>
            )}
          </For>
        </div>
        <Show
          when={!props.isNew}
          fallback={
            <p id={`${id}-explained`} class="hint">
              Single Attachment: installed once per managed account. Multiple Attachments: installed as many times as an account needs, each
              with its own name. The type cannot be changed after Save.
            </p>
          }
        >
          <p id={`${id}-explained`} class="hint">
            The type is fixed once the integration pack is added.
          </p>
        </Show>
        <Show when={props.isNew && props.value === InstallationType.MULTI}>
          <p class="hint">{API_SERVICE_IN_MULTI_REASON}.</p>
        </Show>
        <Show when={props.error}>
          <p class="field-error">{props.error}</p>
        </Show>
      </fieldset>
    </Show>
  );
}
