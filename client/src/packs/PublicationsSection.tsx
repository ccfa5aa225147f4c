/**
 * The "Publications" table of a pack and its actions: Add (Published Components dialog), Remove (the
 * selected row, after a confirmation) and Release Integration Pack (Integration Pack Release dialog).
 */
import { createMemo, createSignal, createUniqueId, For, lazy, onMount, Show, Suspense } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { componentTypeLabel, InstallationType } from '../../../shared/model.ts';
import { canRelease, type PublicationRow } from '../../../shared/publications.ts';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.tsx';
import type { Outcome } from '../format.ts';
import { canEdit } from '../WorkspaceContext.tsx';
import { createOverflowSignal } from './overflow.ts';

const PublishedComponentsDialog = lazy(() => import('../dialogs/PublishedComponentsDialog.tsx'));
const ReleaseDialog = lazy(() => import('../dialogs/ReleaseDialog.tsx'));

type Open = 'add' | 'remove' | 'release' | undefined;

const version = (value: number | string | undefined) => (value === undefined ? '' : String(value));

export function PublicationsSection(props: { workspace: Workspace; packId: string }) {
  const headingId = createUniqueId();
  const rows = createMemo(() => props.workspace.publications(props.packId)());
  const [selectedId, setSelectedId] = createSignal<string>();
  const selected = () => rows().find((row) => row.componentId === selectedId() && row.inPack);
  const [open, setOpen] = createSignal<Open>();
  const [outcome, setOutcome] = createSignal<Outcome>();
  const editable = () => canEdit(props.workspace);
  /** A release already waiting in the outbox: another one would only repeat it. */
  const releaseQueued = () =>
    props.workspace.pendingCommands().some(({ command }) => command.type === 'RELEASE' && command.packId === props.packId);
  const [overflowing, watchOverflow] = createOverflowSignal();
  // A Multiple Attachments pack cannot hold API Service components: do not suggest them.
  const emptyText = () =>
    props.workspace.pack(props.packId)()?.installationType === InstallationType.MULTI
      ? 'No components yet. Add published processes.'
      : 'No components yet. Add published processes or API Service components.';

  const remove = async (row: PublicationRow): Promise<string | undefined> => {
    const result = await props.workspace.removeComponent(props.packId, row.componentId);
    if (!result.ok) return result.error.message;
    setSelectedId(undefined);
    setOpen(undefined);
    return undefined;
  };

  return (
    <section class="publications" aria-labelledby={headingId}>
      <div class="section-head">
        <h3 id={headingId}>Publications</h3>
        <div class="toolbar" role="toolbar" aria-label="Publications actions">
          <button type="button" disabled={!editable()} onClick={() => setOpen('add')}>
            <span class="icon add" aria-hidden="true">
              +
            </span>{' '}
            Add
          </button>
          <button type="button" disabled={!editable() || !selected()} onClick={() => setOpen('remove')}>
            <span class="icon remove" aria-hidden="true">
              ✕
            </span>{' '}
            Remove
          </button>
          <button
            type="button"
            disabled={!editable() || !canRelease(rows()) || releaseQueued()}
            title={
              releaseQueued()
                ? 'A release of this pack is queued until the network returns.'
                : canRelease(rows())
                  ? undefined
                  : 'There are no Pending or Available versions to release.'
            }
            onClick={() => setOpen('release')}
          >
            <span class="icon" aria-hidden="true">
              ⚙
            </span>{' '}
            Release Integration Pack
          </button>
        </div>
      </div>

      <Show when={outcome()}>
        {(shown) => (
          <p class="outcome" classList={{ error: !shown().ok, queued: shown().kind === 'queued' }} role="status">
            {shown().text}
          </p>
        )}
      </Show>

      <div
        class="table-scroll publications-scroll"
        ref={(element) => onMount(() => watchOverflow(element))}
        tabindex={overflowing() ? 0 : undefined}
        role={overflowing() ? 'region' : undefined}
        aria-label={overflowing() ? 'Publications table, scrolls sideways' : undefined}
      >
        <table class="publications-table" aria-label="Publications">
          <thead>
            <tr>
              <th scope="col">Component Name</th>
              <th scope="col">Component Type</th>
              <th scope="col">Current Version</th>
              <th scope="col">Pending Version</th>
              <th scope="col">Available Version</th>
            </tr>
          </thead>
          <tbody>
            <For
              each={rows()}
              fallback={
                <tr>
                  <td colspan="5" class="muted">
                    {emptyText()}
                  </td>
                </tr>
              }
            >
              {(row) => (
                <tr
                  classList={{ selected: row.componentId === selectedId(), deleted: !row.inPack }}
                  onClick={() => row.inPack && setSelectedId(row.componentId)}
                >
                  <th scope="row">
                    <label class="row-select">
                      <input
                        type="radio"
                        name={`${headingId}-row`}
                        checked={row.componentId === selectedId()}
                        disabled={!row.inPack}
                        onChange={() => setSelectedId(row.componentId)}
                      />
                      {row.componentName}
                    </label>
                  </th>
                  <td>{row.componentType ? componentTypeLabel[row.componentType] : ''}</td>
                  <td class="num">{version(row.currentVersion)}</td>
                  <td class="num">{version(row.pendingVersion)}</td>
                  <td class="num">{version(row.availableVersion)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>

      <Show when={open() === 'remove' && selected()}>
        {(row) => (
          <ConfirmDialog title="Remove Component" destructive onConfirm={() => remove(row())} onCancel={() => setOpen(undefined)}>
            <p>
              Remove <strong>{row().componentName}</strong> from this integration pack?
            </p>
            <p>
              {row().currentVersion !== undefined
                ? 'Installed accounts keep it until the next release, which will not include it (its Pending Version shows Deleted).'
                : 'It has not been released, so no installed account has it.'}
            </p>
          </ConfirmDialog>
        )}
      </Show>
      <Suspense>
        <Show when={open() === 'add'}>
          <PublishedComponentsDialog workspace={props.workspace} packId={props.packId} onClose={() => setOpen(undefined)} />
        </Show>
        <Show when={open() === 'release'}>
          <ReleaseDialog
            workspace={props.workspace}
            packId={props.packId}
            onClose={(result) => {
              setOpen(undefined);
              if (result) setOutcome(result);
            }}
          />
        </Show>
      </Suspense>
    </section>
  );
}
