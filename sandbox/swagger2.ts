// Reads a Swagger 2.0 definition (Amazon's SP-API models, marketplaces/amazon/spec/) as the OpenAPI
// 3.0 document the guard (sandbox/openapi.ts) checks against: a body parameter becomes the request
// body, a response's `schema` its JSON content, `#/definitions` the components' schemas. Only what
// those models use is converted; anything else in a 2.0 document (formData, file, security) is refused
// loudly rather than guarded wrongly.

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
/** The keywords a 2.0 non-body parameter carries that are JSON Schema's. */
const SCHEMA_KEYWORDS = [
  'type',
  'format',
  'enum',
  'items',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
];

/** A non-body parameter's schema. A query array arrives as one comma-separated string (2.0's default `csv`), so it is checked as text; the double splits it. */
function parameterSchema(p: Json): Json {
  if (p.type === 'array' && p.in === 'query') return { type: 'string', minLength: 1 };
  return Object.fromEntries(SCHEMA_KEYWORDS.filter((k) => k in p).map((k) => [k, p[k]]));
}

function convertOperation(op: Json, mediaType: string): Json {
  const parameters = (op.parameters as Json[] | undefined) ?? [];
  const unsupported = parameters.find((p) => p.in === 'formData');
  if (unsupported) throw new Error(`swagger2: formData parameter ${String(unsupported.name)} is not supported`);
  const body = parameters.find((p) => p.in === 'body');
  const responses = Object.fromEntries(
    Object.entries((op.responses as Record<string, Json>) ?? {}).map(([status, r]) => [
      status,
      { description: r.description ?? '', ...(r.schema ? { content: { [mediaType]: { schema: r.schema } } } : {}) },
    ]),
  );
  return {
    ...op,
    parameters: parameters
      .filter((p) => p.in !== 'body')
      .map(({ name, in: place, required, description }) => ({
        name,
        in: place,
        required,
        description,
        schema: parameterSchema(parameters.find((p) => p.name === name && p.in === place)!),
      })),
    ...(body && { requestBody: { required: body.required === true, content: { [mediaType]: { schema: body.schema } } } }),
    responses,
  };
}

/** The OpenAPI 3.0 reading of a Swagger 2.0 document; a 3.x document is returned as it is. */
export function fromSwagger2(doc: Json): Json {
  if (doc.swagger !== '2.0') return doc;
  const mediaType = ((doc.produces as string[] | undefined) ?? ['application/json'])[0];
  const paths = Object.fromEntries(
    Object.entries((doc.paths as Record<string, Json>) ?? {}).map(([template, item]) => [
      template,
      Object.fromEntries(
        Object.entries(item).map(([key, op]) => [key, METHODS.includes(key) ? convertOperation(op as Json, mediaType) : op]),
      ),
    ]),
  );
  const converted = { openapi: '3.0.3', info: doc.info, paths, components: { schemas: doc.definitions ?? {} } };
  return JSON.parse(JSON.stringify(converted).replaceAll('"#/definitions/', '"#/components/schemas/')) as Json;
}
