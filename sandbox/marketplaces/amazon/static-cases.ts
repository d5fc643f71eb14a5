// Amazon's static sandbox cases (marketplaces/amazon/spec/examples/, from the models'
// x-amzn-api-sandbox): Amazon's sandbox host answers a request whose parameters equal a case's with
// that case's canned reply, and so does the double, after the guard has checked the request. Orders
// placed through the admin API are answered from the double's state instead.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'marketplaces', 'amazon', 'spec', 'examples');

export interface StaticCase {
  operationId: string;
  status: number;
  /** Parameter name → value; `body` is the request body. */
  parameters: Record<string, unknown>;
  response: unknown;
}

interface IndexEntry {
  name: string;
  operationId: string;
  status: string;
}

export function loadStaticCases(dir = EXAMPLES): StaticCase[] {
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { examples: IndexEntry[] };
  return index.examples.map(({ name, operationId, status }) => {
    const { request, response } = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as {
      request: { parameters: Record<string, { value: unknown }> };
      response: unknown;
    };
    const parameters = Object.fromEntries(Object.entries(request.parameters).map(([k, v]) => [k, v.value]));
    return { operationId, status: Number(status), parameters, response };
  });
}

const size = (c: StaticCase) => Object.keys(c.parameters).length;

/**
 * The case whose every parameter the request carries with the same value, the one naming the most
 * when several do (getOrders' second page names the first page's parameters and a NextToken); a
 * case naming none matches nothing.
 */
export function matchStaticCase(cases: StaticCase[], operationId: string, request: Record<string, unknown>): StaticCase | undefined {
  return cases
    .filter((c) => c.operationId === operationId && size(c) > 0)
    .filter((c) => Object.entries(c.parameters).every(([name, value]) => isDeepStrictEqual(request[name], value)))
    .sort((a, b) => size(b) - size(a))[0];
}
