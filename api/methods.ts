// Methods a declared path does not take (TRACE, PATCH, DELETE on an order…) are answered 405 with
// the Allow header RFC 9110 asks for, and OPTIONS lists the ones it takes: the OpenAPI document is
// the one list of both.
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

interface Declared {
  method: string;
  path: string; // OpenAPI style: /v1/orders/{orderId}
}

/** An OpenAPI path as a matcher: each {param} is one non-empty segment. */
const matcher = (path: string) => new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** The methods declared for a request path: a literal path wins over templates that also match (/v1/orders/batch). */
function allowedMethods(operations: Declared[]) {
  const paths = [...new Set(operations.map((op) => op.path))].map((path) => ({
    path,
    literal: !path.includes('{'),
    test: matcher(path),
    methods: operations.filter((op) => op.path === path).map((op) => op.method.toUpperCase()),
  }));
  return (requestPath: string): string[] => {
    const matching = paths.filter((p) => p.test.test(requestPath));
    const chosen = matching.some((p) => p.literal) ? matching.filter((p) => p.literal) : matching;
    const methods = new Set(chosen.flatMap((p) => p.methods));
    if (methods.size === 0) return [];
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods, 'OPTIONS'];
  };
}

/**
 * OPTIONS on a declared path lists what the contract declares (Express would list every route
 * the path happens to match: GET /v1/orders/batch is GET /v1/orders/{orderId}). CORS preflights
 * (the codec server's) go on to their route.
 */
export function optionsFromContract(operations: Declared[]): RequestHandler {
  const allowed = allowedMethods(operations);
  return (req, res, next) => {
    const methods = req.method === 'OPTIONS' && !req.get('Access-Control-Request-Method') ? allowed(req.path) : [];
    if (methods.length === 0) {
      next();
      return;
    }
    res.set('Allow', methods.join(', ')).status(204).end();
  };
}

/** Mounted after every route: reached only by requests no route answered. Undeclared paths go on to the 404. */
export function methodNotAllowed(operations: Declared[]): RequestHandler {
  const allowed = allowedMethods(operations);
  return (req, res, next) => {
    const methods = allowed(req.path);
    if (methods.length === 0) {
      next();
      return;
    }
    res.set('Allow', methods.join(', '));
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}; allowed: ${methods.join(', ')}`));
  };
}
