/**
 * ReleaseIntegrationPack (create: the RELEASE command) and ReleaseIntegrationPackStatus: 202 while a
 * scheduled release's update is being applied (its date has begun, installations are still moving),
 * then SCHEDULED, SUCCESS or ERROR with the released version of each component.
 */
import * as v from 'valibot';
import { idempotencyKeyOfRequest } from '../commands/release.ts';
import { defineRoute, HttpError, type AnyRoute } from '../http/route.ts';
import {
  ReleaseIntegrationPackCreateSchema,
  ReleaseIntegrationPackSchema,
  ReleaseIntegrationPackStatusSchema,
  ReleaseIntegrationPackUpdateSchema,
} from './schemas.ts';
import { readCancellation, readRelease, readReleaseState, type ReleaseState } from './state.ts';
import { idempotencyKeyOf, publisherRead, publisherWrite, REST, restInvalid, runCommand, WriteHeaders } from './support.ts';

const TAG = 'Publisher: releases';
const statusPath = (accountId: string, requestId: string) =>
  `/api/rest/v1/${encodeURIComponent(accountId)}/ReleaseIntegrationPackStatus/${encodeURIComponent(requestId)}`;

const create = defineRoute({
  method: 'POST',
  url: `${REST}/ReleaseIntegrationPack`,
  summary: 'Release an integration pack (immediately or on a date)',
  description:
    'Answers the release with its requestId; follow it at ReleaseIntegrationPackStatus/{requestId} (also in the Location header). Only one update can be pending per pack.',
  tag: TAG,
  auth: publisherWrite,
  headers: WriteHeaders,
  body: ReleaseIntegrationPackCreateSchema,
  invalid: restInvalid,
  responses: { 200: { description: 'The release', schema: ReleaseIntegrationPackSchema } },
  handler: async (request) => {
    const { id, releaseSchedule, releaseOnDate, ReleasePackagedComponents, releaseNotes } = request.body;
    const { accountId } = request.params;
    const result = await runCommand(request.deps, request.session, idempotencyKeyOf(request.headers), {
      type: 'RELEASE',
      packId: id,
      releaseSchedule,
      ...(releaseOnDate === undefined ? {} : { releaseOnDate }),
      ...(ReleasePackagedComponents ? { components: ReleasePackagedComponents.ReleasePackagedComponent } : {}),
      ...(releaseNotes === undefined ? {} : { notes: releaseNotes }),
    });
    const release = await readRelease(request.deps, request.session.accountId, id, result.requestId!);
    if (!release) throw new HttpError(404, 'NOT_FOUND', `The release ${result.requestId} is no longer there (its pack was deleted).`);
    return { status: 200, body: release, headers: { location: statusPath(accountId!, release.requestId) } };
  },
});

function statusBody(requestId: string, state: ReleaseState) {
  const { pack, release, applying, failures } = state;
  const releaseStatus = applying ? 'IN_PROGRESS' : release.status === 'SCHEDULED' ? 'SCHEDULED' : failures > 0 ? 'ERROR' : 'SUCCESS';
  const released = releaseStatus === 'SUCCESS' || releaseStatus === 'ERROR';
  return {
    '@type': 'ReleaseIntegrationPackStatus',
    requestId,
    integrationPackId: release.packId,
    ...(pack ? { name: pack.name } : {}),
    releaseSchedule: release.releaseSchedule,
    ...(release.releaseOnDate === undefined ? {} : { releaseOnDate: release.releaseOnDate }),
    releaseStatus,
    releaseNumber: release.number,
    ...(failures > 0 && !applying ? { message: `${failures} installation(s) failed to apply release ${release.number}.` } : {}),
    ...(release.notes === undefined ? {} : { releaseNotes: release.notes }),
    ReleasePackagedComponents: {
      ReleasePackagedComponent: release.components.map(({ componentId, version }) => ({
        componentId,
        version,
        ...(released ? { releasedVersion: version } : {}),
      })),
    },
  };
}

const status = defineRoute({
  method: 'GET',
  url: `${REST}/ReleaseIntegrationPackStatus/:requestId`,
  summary: 'Follow a release by its requestId',
  description: 'HTTP 202 while IN_PROGRESS (poll again); 200 once SCHEDULED, SUCCESS or ERROR (or CANCELED).',
  tag: TAG,
  auth: publisherRead,
  params: v.object({ accountId: v.string(), requestId: v.string() }),
  invalid: restInvalid,
  responses: {
    200: { description: 'Where the release stands', schema: ReleaseIntegrationPackStatusSchema },
    202: { description: 'IN_PROGRESS: its update is being applied', schema: ReleaseIntegrationPackStatusSchema },
  },
  handler: async (request) => {
    const { requestId } = request.params;
    const state = await readReleaseState(request.deps, request.session.accountId, requestId);
    if (state) {
      const body = statusBody(requestId, state);
      return { status: body.releaseStatus === 'IN_PROGRESS' ? 202 : 200, body };
    }
    const cancelled = await readCancellation(request.deps, request.session.accountId, requestId);
    if (cancelled)
      return {
        status: 200,
        body: {
          '@type': 'ReleaseIntegrationPackStatus',
          requestId,
          ...(cancelled.packId === undefined ? {} : { integrationPackId: cancelled.packId }),
          releaseStatus: 'CANCELED',
          ...(cancelled.releaseNumber === undefined ? {} : { releaseNumber: cancelled.releaseNumber }),
          message: cancelled.message ?? cancelled.summary,
          ReleasePackagedComponents: { ReleasePackagedComponent: [] },
        },
      };
    // A refused release made no release: its stored result says why.
    const key = idempotencyKeyOfRequest(requestId);
    const result = key && (await request.deps.store.records.getCommandResult(request.session.accountId, key))?.result;
    if (result && result.status === 'ERROR' && result.code !== 'IDEMPOTENCY_KEY_REUSED')
      return {
        status: 200,
        body: {
          '@type': 'ReleaseIntegrationPackStatus',
          requestId,
          releaseStatus: 'ERROR',
          message: result.message,
          ReleasePackagedComponents: { ReleasePackagedComponent: [] },
        },
      };
    throw new HttpError(404, 'NOT_FOUND', `No release with requestId ${requestId} (or its pack was deleted).`);
  },
});

const IdParams = v.object({ accountId: v.string(), id: v.string() });

const update = defineRoute({
  method: 'POST',
  url: `${REST}/ReleaseIntegrationPack/:id`,
  summary: "Change a pack's scheduled release: its date, its versions or its notes",
  description:
    'Only while the release is pending its date (409 otherwise). Versions cannot change once an installation applied it early (409 APPLIED_EARLY); its date and notes still can.',
  tag: TAG,
  auth: publisherWrite,
  params: IdParams,
  headers: WriteHeaders,
  body: ReleaseIntegrationPackUpdateSchema,
  invalid: restInvalid,
  responses: { 200: { description: 'The release as changed', schema: ReleaseIntegrationPackSchema } },
  handler: async (request) => {
    const { accountId, id } = request.params;
    const { releaseOnDate, ReleasePackagedComponents, releaseNotes } = request.body;
    if (request.body.id !== undefined && request.body.id !== id)
      throw new HttpError(400, 'INVALID_FIELD', `id (${request.body.id}) is not the pack id in the path (${id}).`, 'id');
    const result = await runCommand(request.deps, request.session, idempotencyKeyOf(request.headers), {
      type: 'UPDATE_RELEASE',
      packId: id,
      ...(releaseOnDate === undefined ? {} : { releaseOnDate }),
      ...(ReleasePackagedComponents ? { components: ReleasePackagedComponents.ReleasePackagedComponent } : {}),
      ...(releaseNotes === undefined ? {} : { notes: releaseNotes }),
    });
    const release = await readRelease(request.deps, request.session.accountId, id, result.requestId!);
    if (!release) throw new HttpError(404, 'NOT_FOUND', `The release ${result.requestId} is no longer there.`);
    return { status: 200, body: release, headers: { location: statusPath(accountId, release.requestId) } };
  },
});

const cancel = defineRoute({
  method: 'DELETE',
  url: `${REST}/ReleaseIntegrationPack/:id`,
  summary: "Cancel a pack's scheduled release",
  description: 'Only while it is pending its date and no installation applied it early. Installations waiting for it no longer wait.',
  tag: TAG,
  auth: publisherWrite,
  params: IdParams,
  headers: WriteHeaders,
  invalid: restInvalid,
  responses: { 200: { description: 'Cancelled', schema: ReleaseIntegrationPackStatusSchema } },
  handler: async (request) => {
    const { id } = request.params;
    const result = await runCommand(request.deps, request.session, idempotencyKeyOf(request.headers), {
      type: 'CANCEL_RELEASE',
      packId: id,
    });
    return {
      status: 200,
      body: {
        '@type': 'ReleaseIntegrationPackStatus',
        requestId: result.requestId!,
        integrationPackId: id,
        releaseStatus: 'CANCELED',
        ...(result.releaseNumber === undefined ? {} : { releaseNumber: result.releaseNumber }),
        message: result.message,
        ReleasePackagedComponents: { ReleasePackagedComponent: [] },
      },
    };
  },
});

export const releaseRoutes: AnyRoute[] = [create, update, cancel, status];
