// OpenAPI validation for a REST carrier double, so the double can no longer drift from the carrier's
// captured definition (carriers/<carrier>/spec/*-openapi.yaml, issue 27): every request is checked
// against its operation (a wrong one gets the carrier's own refusal, naming the field), and every JSON
// reply the double sends is checked before it leaves (a reply that breaks the spec becomes a 500 and
// an error in the log, so a drifting double fails the tests that hit it).
//
// Written on Ajv rather than express-openapi-validator: the latter treats the servers' URL paths as
// base paths (MNG's carry /mngapi/api, UPS's none), enforces security schemes unless told not to, and
// reports problems in its own error shape; here paths are matched as written, auth is left to the
// double, and the carrier says how a refusal looks. Ajv 2020 reads OpenAPI 3.1 schemas as they are;
// a 3.0 document gets draft-07 Ajv, which knows `nullable`.
//
// Schemas are CLOSED here: an object schema that lists its properties and says nothing of others
// accepts no others (unevaluatedProperties / additionalProperties false), so a misspelt optional
// field is refused too. Published definitions rarely say it, carriers often ignore unknown fields;
// the double is stricter on purpose, to catch our own mistakes.
import fs from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import express, { type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import YAML from 'yaml';
import { fromSwagger2 } from './swagger2';

export interface OpenApiGuardOptions {
  /** Absolute path of the captured definition: OpenAPI 3.0 or 3.1 (UPS's is 3.1), or Swagger 2.0 (Amazon's, read as 3.0). */
  spec: string;
  /** How the carrier says "bad request": answer the refusal in the carrier's own error shape. */
  refuse(res: Response, problem: { status: number; field: string; message: string }): void;
  logger: Logger;
}

type Json = Record<string, unknown>;
type Problem = { status: number; field: string; message: string };

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, unknown> };
  responses: Record<string, Json>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const SPEC_ID = 'openapi-guard-spec';

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function resolve(doc: Json, node: unknown): Json {
  let current = node as Json;
  while (current && typeof current.$ref === 'string' && current.$ref.startsWith('#/')) {
    const ref = current.$ref;
    current = ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((n, key) => (n as Json | undefined)?.[key], doc) as Json;
  }
  return current;
}

/** The $refs named directly in an allOf: those schemas are parts of a larger one and stay open. */
function allOfParts(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => allOfParts(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'allOf' && Array.isArray(value)) value.forEach((v) => typeof v?.$ref === 'string' && found.add(v.$ref));
      allOfParts(value, found);
    }
  }
  return found;
}

/** Closes every object schema under `schema` that lists properties and says nothing of others (see the top of the file). */
function close(schema: unknown, keyword: string, open = false): void {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  const s = schema as Json;
  const composed = ['allOf', 'anyOf', 'oneOf'].some((k) => k in s);
  const closable = s.properties && !('additionalProperties' in s) && !('unevaluatedProperties' in s);
  // unevaluatedProperties sees through allOf; additionalProperties (3.0) does not, so it is left off there.
  if (!open && closable && (keyword === 'unevaluatedProperties' || !composed)) s[keyword] = false;
  for (const sub of Object.values((s.properties as Json) ?? {})) close(sub, keyword);
  for (const k of ['items', 'not', 'if', 'then', 'else', 'additionalProperties']) close(s[k], keyword);
  for (const k of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    if (Array.isArray(s[k])) (s[k] as unknown[]).forEach((sub) => close(sub, keyword, k === 'allOf'));
  }
}

function closeDocument(doc: Json, keyword: string): void {
  const parts = allOfParts(doc);
  const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Json;
  for (const [name, schema] of Object.entries(schemas)) close(schema, keyword, parts.has(`#/components/schemas/${escapePointer(name)}`));
  // Inline schemas of bodies and replies (referenced ones were closed above).
  const media = (content: unknown) => Object.values((content as Json) ?? {}).forEach((m) => close((m as Json)?.schema, keyword));
  for (const item of Object.values((doc.paths as Json) ?? {})) {
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      media((op?.requestBody as Json | undefined)?.content);
      for (const reply of Object.values((op?.responses as Json) ?? {})) media((reply as Json)?.content);
    }
  }
  for (const kind of ['requestBodies', 'responses']) {
    for (const def of Object.values(((doc.components as Json | undefined)?.[kind] as Json) ?? {})) media((def as Json)?.content);
  }
}

/** The spec's operations, literal paths before templated ones so /a/b wins over /a/{x}. */
function operationsOf(doc: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [template, rawItem] of Object.entries((doc.paths as Json) ?? {})) {
    const item = resolve(doc, rawItem);
    const literal = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'));
    const pattern = new RegExp(`^${literal.join('([^/]+)')}/?$`);
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      // Operation parameters override the path item's of the same name and place.
      const all = [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])];
      const resolved = all.map((p) => resolve(doc, p) as unknown as Parameter);
      const parameters = [...new Map(resolved.map((p) => [`${p.in}:${p.name}`, p])).values()];
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern,
        parameters,
        requestBody: op.requestBody ? resolve(doc, op.requestBody) : undefined,
        responses: Object.fromEntries(Object.entries((op.responses as Json) ?? {}).map(([code, r]) => [code, resolve(doc, r)])),
      });
    }
  }
  const templated = (o: Operation) => (o.template.match(/\{/g) ?? []).length;
  return operations.sort((a, b) => templated(a) - templated(b));
}

/** Path names a bad field: `order.referenceId`, `orderPieceList.0.kg`, or `body` for the whole. */
function fieldOf(where: string, error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = error.params as { missingProperty?: string; unevaluatedProperty?: string; additionalProperty?: string };
  const named = extra.missingProperty ?? extra.unevaluatedProperty ?? extra.additionalProperty;
  if (named) path.push(named);
  return path.length ? path.join('.') : where;
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'unevaluatedProperties' || error.keyword === 'additionalProperties') return 'is not a field the spec defines';
  if (error.keyword === 'required') return 'is required';
  return error.message ?? 'is invalid';
}

/** The most telling error: a named field before the umbrella anyOf/oneOf failure, the deepest first. */
function firstProblem(where: string, errors: ErrorObject[] | null | undefined, status: number): Problem {
  const specific = (errors ?? []).filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  const error = [...(specific.length ? specific : (errors ?? []))].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  if (!error) return { status, field: where, message: `${where}: is invalid` };
  const field = fieldOf(where, error);
  return { status, field, message: `${field}: ${describe(error)}` };
}

const isJsonMedia = (type: string) => /^application\/(.+\+)?json$/.test(type) || type === '*/*';

export function openApiGuard(options: OpenApiGuardOptions): RequestHandler[] {
  const { logger } = options;
  const refuse: OpenApiGuardOptions['refuse'] = (res, problem) => options.refuse(res, problem);
  const doc = fromSwagger2(YAML.parse(fs.readFileSync(options.spec, 'utf8'), { maxAliasCount: -1 }) as Json);
  const is31 = String(doc.openapi).startsWith('3.1');
  closeDocument(doc, is31 ? 'unevaluatedProperties' : 'additionalProperties');
  const ajvOptions = { strict: false, allErrors: true };
  const ajv = is31 ? new Ajv2020(ajvOptions) : new Ajv(ajvOptions);
  // Parameters arrive as text: "12" is an integer path parameter.
  const params = is31 ? new Ajv2020({ ...ajvOptions, coerceTypes: true }) : new Ajv({ ...ajvOptions, coerceTypes: true });
  for (const a of [ajv, params]) {
    addFormats(a);
    a.addSchema(doc, SPEC_ID);
  }
  const operations = operationsOf(doc);

  // Compiled on first use (UPS's document is large and a double uses a few of its operations); a
  // schema's $refs point into the document, which each Ajv holds under SPEC_ID.
  const compiled = new Map<Ajv, WeakMap<object, ValidateFunction>>([
    [ajv, new WeakMap()],
    [params, new WeakMap()],
  ]);
  function validatorOf(instance: Ajv, schema: Json): ValidateFunction {
    const cache = compiled.get(instance)!;
    let validate = cache.get(schema);
    if (!validate) {
      const anchored = JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${SPEC_ID}#/`)) as Json;
      cache.set(schema, (validate = instance.compile(anchored)));
    }
    return validate;
  }

  function checkParameters(op: Operation, req: express.Request, values: Record<string, string>): Problem | undefined {
    for (const p of op.parameters) {
      const raw =
        p.in === 'path' ? values[p.name] : p.in === 'query' ? req.query[p.name] : p.in === 'header' ? req.header(p.name) : undefined;
      if (raw === undefined) {
        if (p.required || p.in === 'path') return { status: 400, field: p.name, message: `${p.name} (${p.in}): is required` };
        continue;
      }
      if (!p.schema) continue;
      const validate = validatorOf(params, p.schema);
      if (!validate(raw))
        return { status: 400, field: p.name, message: `${p.name} (${p.in}): ${validate.errors?.[0]?.message ?? 'is invalid'}` };
    }
    return undefined;
  }

  function checkBody(op: Operation, req: express.Request): Problem | undefined {
    const body = op.requestBody;
    // No body: none sent, or an empty one (fetch sends Content-Length: 0 with a bodiless PUT).
    const empty = req.headers['content-length'] === '0' || req.is('*/*') === null;
    if (!body) return empty ? undefined : { status: 400, field: 'body', message: 'body: the operation takes none' };
    if (empty) return body.required ? { status: 400, field: 'body', message: 'body: is required' } : undefined;
    const type = Object.keys(body.content ?? {}).find((t) => req.is(t));
    if (!type)
      return { status: 415, field: 'Content-Type', message: `Content-Type: expected ${Object.keys(body.content ?? {}).join(' or ')}` };
    const validate = validatorOf(ajv, (body.content![type] as Json).schema as Json);
    return validate(req.body) ? undefined : firstProblem('body', validate.errors, 400);
  }

  function checkReply(op: Operation, status: number, body: unknown): string | undefined {
    const code = [String(status), `${String(status)[0]}XX`, 'default'].find((c) => op.responses[c]);
    if (!code) return `status ${status} is not a reply of ${op.method} ${op.template}`;
    const type = Object.keys((op.responses[code].content as Json) ?? {}).find(isJsonMedia);
    if (!type) return `status ${status} of ${op.method} ${op.template} has no JSON body in the spec`;
    const validate = validatorOf(ajv, ((op.responses[code].content as Json)[type] as Json).schema as Json);
    if (validate(body)) return undefined;
    return firstProblem('reply', validate.errors, 500).message;
  }

  /** Replaces res.json for this request: a reply the spec does not allow is logged and answered with a 500. */
  function watchReplies(op: Operation, res: Response): void {
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      res.json = send; // the refusal below, and anything after, goes out as written
      const drift = checkReply(op, res.statusCode, body);
      if (!drift) return send(body);
      logger.error(
        { operation: `${op.method} ${op.template}`, status: res.statusCode, drift },
        'sandbox double replied outside its OpenAPI spec',
      );
      refuse(res.status(500), { status: 500, field: 'reply', message: `the double's reply breaks the spec: ${drift}` });
      return res;
    };
  }

  const guard: RequestHandler = (req, res, next) => {
    for (const op of operations) {
      const match = op.method === req.method ? op.pattern.exec(req.path) : null;
      if (!match) continue;
      const names = [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const values = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1])]));
      const problem = checkParameters(op, req, values) ?? checkBody(op, req);
      if (problem) return refuse(res, problem);
      watchReplies(op, res);
      return next();
    }
    refuse(res, { status: 404, field: 'path', message: `no operation ${req.method} ${req.path} in the spec` });
  };

  return [express.json({ limit: '1mb' }), express.urlencoded({ extended: false }), guard];
}
