/**
 * The platform's objects as JSON, in its field names (../shared/spec/platform-notes.md): the
 * schemas that validate REST requests and, with the answers', generate the OpenAPI document.
 */
import * as v from 'valibot';
import { Id } from './support.ts';

const Type = v.picklist(['SINGLE', 'MULTI'], 'installationType must be SINGLE or MULTI');
const ComponentType = v.picklist(['PROCESS', 'API_SERVICE']);
const Version = v.pipe(v.number('version must be a whole number'), v.integer('version must be a whole number'), v.minValue(1));
const CalendarDate = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'releaseOnDate must be yyyy-MM-dd'));
const described = <T extends v.GenericSchema>(schema: T, text: string) => v.pipe(schema, v.description(text));
/** Ours, not the platform's (shared/release-notes.ts: trimmed, up to 2,000 characters; the cap here only bounds the body). */
const ReleaseNotes = described(
  v.pipe(v.string('releaseNotes must be text'), v.maxLength(20_000, 'releaseNotes can contain up to 2000 characters')),
  'Release notes: up to 2,000 characters, trimmed. Shown in History, Rollout, on the managed page and in the extension.',
);

export const PublisherPackagedComponentSchema = v.object({
  componentId: v.string(),
  componentName: v.string(),
  componentType: v.optional(ComponentType),
  currentVersion: v.optional(described(v.number(), 'The version in the current release.')),
  pendingVersion: v.optional(described(v.number(), 'The version a new release would bring (Pending or Available).')),
  latestVersion: v.optional(described(v.number(), 'The newest published version.')),
  deleted: described(v.boolean(), 'Removed from the pack: the next release drops it.'),
});

export const PublisherIntegrationPackSchema = v.object({
  '@type': v.literal('PublisherIntegrationPack'),
  id: v.string(),
  name: v.string(),
  Description: v.string(),
  installationType: Type,
  PublisherPackagedComponents: v.object({ PublisherPackagedComponent: v.array(PublisherPackagedComponentSchema) }),
});
export type PublisherIntegrationPackJson = v.InferOutput<typeof PublisherIntegrationPackSchema>;

const PackagedComponentRequest = v.object({
  componentId: Id,
  operationType: v.optional(
    described(
      v.picklist(['ADD', 'DELETE'], 'operationType must be ADD or DELETE'),
      'DELETE leaves the component out; ADD (or none) keeps it in.',
    ),
  ),
});
const PackagedComponentsRequest = v.object({
  PublisherPackagedComponent: v.pipe(v.array(PackagedComponentRequest), v.maxLength(1000)),
});

export const PublisherIntegrationPackCreateSchema = v.object({
  name: v.string('name must be text'),
  Description: v.optional(v.string('Description must be text')),
  installationType: v.optional(Type, 'SINGLE'),
  PublisherPackagedComponents: v.optional(PackagedComponentsRequest),
});

export const PublisherIntegrationPackUpdateSchema = v.object({
  id: v.optional(Id),
  name: v.optional(v.string('name must be text')),
  Description: v.optional(v.string('Description must be text')),
  installationType: v.optional(Type),
  PublisherPackagedComponents: v.optional(
    described(PackagedComponentsRequest, "The pack's components afterwards (those marked DELETE left out): the list replaces the pack's."),
  ),
});

export const ReleasePackagedComponentsSchema = v.object({
  ReleasePackagedComponent: v.pipe(v.array(v.object({ componentId: Id, version: Version })), v.maxLength(1000)),
});

export const ReleaseIntegrationPackCreateSchema = v.object({
  id: described(Id, 'The integration pack to release.'),
  releaseSchedule: v.picklist(
    ['IMMEDIATELY', 'RELEASE_ON_SPECIFIED_DATE'],
    'releaseSchedule must be IMMEDIATELY or RELEASE_ON_SPECIFIED_DATE',
  ),
  releaseOnDate: v.optional(
    described(CalendarDate, 'For RELEASE_ON_SPECIFIED_DATE: the date its update is applied, in the publisher time zone.'),
  ),
  ReleasePackagedComponents: v.optional(
    described(ReleasePackagedComponentsSchema, 'Versions chosen for some components (an older one rolls back); the rest get the latest.'),
  ),
  releaseNotes: v.optional(ReleaseNotes),
});

export const ReleaseIntegrationPackUpdateSchema = v.object({
  id: v.optional(Id),
  releaseSchedule: v.optional(v.literal('RELEASE_ON_SPECIFIED_DATE', 'a scheduled release stays RELEASE_ON_SPECIFIED_DATE')),
  releaseOnDate: v.optional(CalendarDate),
  ReleasePackagedComponents: v.optional(ReleasePackagedComponentsSchema),
  releaseNotes: v.optional(described(ReleaseNotes, 'New release notes; "" removes them, absent keeps them.')),
});

export const ReleaseIntegrationPackSchema = v.object({
  '@type': v.literal('ReleaseIntegrationPack'),
  id: v.string(),
  name: v.string(),
  installationType: Type,
  releaseSchedule: v.picklist(['IMMEDIATELY', 'RELEASE_ON_SPECIFIED_DATE']),
  releaseOnDate: v.optional(v.string()),
  requestId: described(v.string(), 'Follow the release at ReleaseIntegrationPackStatus/{requestId}.'),
  ReleasePackagedComponents: ReleasePackagedComponentsSchema,
  releaseNotes: v.optional(described(v.string(), 'Release notes (absent: none).')),
});

export const ReleaseStatusSchema = v.picklist(['IN_PROGRESS', 'SCHEDULED', 'SUCCESS', 'ERROR', 'CANCELED']);

export const ReleaseIntegrationPackStatusSchema = v.object({
  '@type': v.literal('ReleaseIntegrationPackStatus'),
  requestId: v.string(),
  integrationPackId: v.optional(v.string()),
  name: v.optional(v.string()),
  releaseSchedule: v.optional(v.picklist(['IMMEDIATELY', 'RELEASE_ON_SPECIFIED_DATE'])),
  releaseOnDate: v.optional(v.string()),
  releaseStatus: described(
    ReleaseStatusSchema,
    'IN_PROGRESS (HTTP 202) while its update is being applied; SCHEDULED until its date; SUCCESS; ERROR (refused, or some installations failed to apply it); CANCELED.',
  ),
  releaseNumber: v.optional(v.number()),
  message: v.optional(v.string()),
  releaseNotes: v.optional(described(v.string(), 'Release notes (absent: none).')),
  ReleasePackagedComponents: v.object({
    ReleasePackagedComponent: v.array(
      v.object({
        componentId: v.string(),
        version: described(v.number(), 'The version the release holds.'),
        releasedVersion: v.optional(described(v.number(), 'The version installations run once the release took effect.')),
      }),
    ),
  }),
});

export const IntegrationPackSchema = v.object({
  '@type': v.literal('IntegrationPack'),
  id: v.string(),
  name: v.string(),
  Description: v.string(),
  installationType: Type,
});

export const IntegrationPackInstanceSchema = v.object({
  '@type': v.literal('IntegrationPackInstance'),
  id: v.string(),
  integrationPackId: v.string(),
  integrationPackOverrideName: v.optional(v.string()),
});

export const IntegrationPackInstanceCreateSchema = v.object({
  integrationPackId: Id,
  integrationPackOverrideName: v.optional(
    described(v.pipe(v.string(), v.maxLength(400)), 'Required for a MULTI pack: the name of this installation.'),
  ),
});

export const attachmentSchemas = (target: 'environmentId' | 'atomId', object: string) => ({
  record: v.object({ '@type': v.literal(object), id: v.string(), integrationPackInstanceId: v.string(), [target]: v.string() }),
  create: v.object({ integrationPackInstanceId: Id, [target]: Id }),
});

export const BulkRequestSchema = v.object({
  type: v.optional(v.literal('GET', 'type must be GET')),
  request: v.pipe(
    v.array(v.object({ id: Id })),
    v.minLength(1, 'request names at least one id'),
    v.maxLength(100, 'request names at most 100 ids'),
  ),
});

export const queryResultSchema = (record: v.GenericSchema) =>
  v.object({
    '@type': v.literal('QueryResult'),
    result: v.array(record),
    numberOfResults: described(v.number(), 'How many records match in all.'),
    queryToken: v.optional(described(v.string(), 'Present while more pages remain: POST it to queryMore.')),
  });

export const bulkResultSchema = (record: v.GenericSchema) =>
  v.object({
    '@type': v.literal('BulkResult'),
    response: v.array(
      v.object({
        '@type': v.literal('BulkResponse'),
        index: v.number(),
        id: v.string(),
        statusCode: v.number(),
        Result: v.optional(record),
        errorMessage: v.optional(v.string()),
      }),
    ),
  });

export const QueryMoreSchema = v.union(
  [v.pipe(v.string(), v.minLength(1)), v.object({ queryToken: v.pipe(v.string(), v.minLength(1)) })],
  'send the queryToken a query returned (as the body, or as { "queryToken": … })',
);
