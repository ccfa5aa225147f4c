/**
 * A REST client for tests over real HTTP that checks every answer against the server's own OpenAPI
 * document: the operation must be documented, and the body must match the schema of its status (or
 * the default error schema). A test that gets an answer the document does not describe fails.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read answers freely; the OpenAPI schema has checked them
export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  /** Send the token as Basic auth's password. */
  basic?: boolean;
  body?: unknown;
  /** A raw body (sent as text/plain). */
  text?: string;
  headers?: Record<string, string>;
}

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

export interface RestClient {
  // biome-ignore lint/suspicious/noExplicitAny: as Answer
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<Answer<T>>;
  /** How many answers were checked against the document. */
  readonly checked: number;
  /** The operations answered so far, as `METHOD template`. */
  readonly covered: ReadonlySet<string>;
  /** Every operation of the document, as `METHOD template`. */
  readonly operations: readonly string[];
}

export async function restClient(baseUrl: string): Promise<RestClient> {
  const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validators = new Map<string, ValidateFunction>();
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    literals: template.split('/').filter((segment) => segment !== '' && !segment.startsWith('{')).length,
  }));
  let checked = 0;
  const covered = new Set<string>();

  function conform(method: string, path: string, status: number, body: unknown, contentType: string): void {
    const candidates = templates.filter((entry) => entry.pattern.test(path) && document.paths[entry.template]![method.toLowerCase()]);
    candidates.sort((a, b) => b.literals - a.literals);
    const template = candidates[0]?.template;
    if (!template) throw new Error(`${method} ${path} is not in the OpenAPI document`);
    covered.add(`${method} ${template}`);
    const responses = document.paths[template]![method.toLowerCase()]!.responses;
    const response = responses[String(status)] ?? responses.default;
    if (!response) throw new Error(`${method} ${template} answered ${status}, which the document does not describe`);
    const type = contentType.split(';')[0]!.trim();
    if (type !== 'application/json' && body !== undefined) {
      if (!Object.keys(response.content ?? {}).some((documented) => documented.split(';')[0] === type))
        throw new Error(`${method} ${template} ${status} answered ${type}, which the document does not describe`);
      checked++;
      return;
    }
    const schema = response.content?.['application/json']?.schema;
    if (!schema) {
      if (body !== undefined) throw new Error(`${method} ${template} ${status}: the document says no body, got ${JSON.stringify(body)}`);
      return;
    }
    const id = `${method} ${template} ${status}`;
    let validate = validators.get(id);
    if (!validate) validators.set(id, (validate = ajv.compile(schema)));
    if (!validate(body))
      throw new Error(`${id}: the answer does not conform to the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
    checked++;
  }

  return {
    get checked() {
      return checked;
    },
    covered,
    operations: Object.entries(document.paths).flatMap(([template, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${template}`),
    ),
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== undefined)
        headers.Authorization = options.basic
          ? `Basic ${Buffer.from(`pipeline:${options.token}`).toString('base64')}`
          : `Bearer ${options.token}`;
      let payload: string | undefined;
      if (options.text !== undefined) {
        headers['Content-Type'] = 'text/plain';
        payload = options.text;
      } else if (options.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(options.body);
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
      const text = await response.text();
      const contentType = response.headers.get('content-type') ?? 'application/json';
      const json = contentType.startsWith('application/json');
      const body = text === '' ? undefined : json ? JSON.parse(text) : text;
      conform(method, new URL(path, baseUrl).pathname, response.status, body, contentType);
      return { status: response.status, body, headers: response.headers };
    },
  };
}
