// A SOAP double checked against the carrier's WSDL (issue 27): every request's Body element and
// every reply's is validated by xmllint (libxml2 in WebAssembly, offline) against the XML Schemas in
// the WSDL's <types>. A request that does not match gets the carrier's Client fault naming the
// problem; a reply that does not match is never sent (a 500 and an error log), so a double that
// drifts from the carrier fails the tests instead of teaching the adapter a wrong protocol.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { XMLFileInfo } from 'xmllint-wasm';
import type { FaultPlan } from './faults';
import { InvalidSoapRequest, SOAP_ENV, isUncheckedReply, type SoapDialect } from './soap';

const XSD = 'http://www.w3.org/2001/XMLSchema';

/** Standalone schemas for xmllint: `main` imports (or includes) every other file, by file name. */
export interface SchemaSet {
  main: XMLFileInfo;
  files: XMLFileInfo[];
}

// --- reading XML text just enough: start tags, their namespace declarations, attributes ---
const ATTRIBUTE = /\s([\w.:-]+)\s*=\s*("[^"]*"|'[^']*')/g;

function attributesOf(startTag: string): Map<string, string> {
  return new Map([...startTag.matchAll(ATTRIBUTE)].map((m) => [m[1], m[2].slice(1, -1)]));
}

/** The `xmlns` / `xmlns:p` declarations of a start tag, as written (`xmlns:p="…"`). */
function declarationsOf(startTag: string): Map<string, string> {
  const declarations = [...attributesOf(startTag)].filter(([name]) => name === 'xmlns' || name.startsWith('xmlns:'));
  return new Map(declarations);
}

/** Adds to a start tag the declarations it does not make itself (inherited ones a standalone copy would lose). */
function withInherited(startTag: string, inherited: Map<string, string>): string {
  const own = declarationsOf(startTag);
  const missing = [...inherited].filter(([name]) => !own.has(name)).map(([name, uri]) => ` ${name}="${uri}"`);
  const end = startTag.endsWith('/>') ? -2 : -1;
  return `${startTag.slice(0, end)}${missing.join('')}${startTag.slice(end)}`;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

interface Schema {
  fileName: string;
  targetNamespace: string | undefined;
  contents: string;
}

/** Each xs:schema inside the WSDL's <types>, made standalone: the definitions' namespace declarations copied onto it. */
function schemasInWsdl(wsdlPath: string): Schema[] {
  const text = readFileSync(wsdlPath, 'utf8');
  const root = /<([\w.-]+:)?definitions\b[^>]*>/.exec(text);
  if (!root) throw new Error(`${wsdlPath}: no wsdl:definitions element`);
  const inherited = declarationsOf(root[0]);
  const schema = /<((?:[\w.-]+:)?)schema\b[^>]*>[\s\S]*?<\/\1schema>/g;
  return [...text.matchAll(schema)].map((m, i) => {
    const startTag = /^<[^>]*>/.exec(m[0])![0];
    const contents = withInherited(startTag, inherited) + m[0].slice(startTag.length);
    return {
      fileName: `${basename(wsdlPath)}.schema${i + 1}.xsd`,
      targetNamespace: attributesOf(startTag).get('targetNamespace'),
      contents,
    };
  });
}

function schemaFile(path: string): Schema {
  const contents = readFileSync(path, 'utf8');
  const startTag = /<(?:[\w.-]+:)?schema\b[^>]*>/.exec(contents);
  if (!startTag) throw new Error(`${path}: no xs:schema element`);
  return { fileName: basename(path), targetNamespace: attributesOf(startTag[0]).get('targetNamespace'), contents };
}

/** Gives each xs:import without a schemaLocation the file that holds its namespace. */
function resolveImports(schema: Schema, fileOf: Map<string | undefined, string>): Schema {
  const contents = schema.contents.replace(/<([\w.-]+:)?import\b[^>]*?\/?>/g, (tag) => {
    const attributes = attributesOf(tag);
    const file = fileOf.get(attributes.get('namespace'));
    if (attributes.has('schemaLocation') || !file) return tag;
    return tag.replace(/\s*(\/?>)$/, ` schemaLocation="${escapeAttribute(file)}"$1`);
  });
  return { ...schema, contents };
}

/** The first schema of each namespace includes the others of the same namespace (libxml2 imports a namespace once). */
function includeSiblings(schema: Schema, siblings: Schema[]): Schema {
  if (siblings.length === 0) return schema;
  const startTag = /<((?:[\w.-]+:)?)schema\b[^>]*>/.exec(schema.contents)!;
  const includes = siblings.map((s) => `<${startTag[1]}include schemaLocation="${escapeAttribute(s.fileName)}"/>`).join('');
  const at = startTag.index + startTag[0].length;
  return { ...schema, contents: schema.contents.slice(0, at) + includes + schema.contents.slice(at) };
}

/** The XML Schemas inside a WSDL's <types> (and any .xsd files given), made standalone so xmllint can validate against them (inherited namespace declarations copied onto each xs:schema; imports between them resolved by fileName). */
export function schemasOf(wsdlPath: string, extraXsdPaths: string[] = []): SchemaSet {
  const all = [...schemasInWsdl(wsdlPath), ...extraXsdPaths.map(schemaFile)];
  const byNamespace = new Map<string | undefined, Schema[]>();
  for (const schema of all) byNamespace.set(schema.targetNamespace, [...(byNamespace.get(schema.targetNamespace) ?? []), schema]);
  const fileOf = new Map([...byNamespace].map(([namespace, [first]]) => [namespace, first.fileName]));
  const files = [...byNamespace.values()].flatMap(([first, ...rest]) => [includeSiblings(first, rest), ...rest]);

  // The main schema has no namespace: it imports each namespace's first file and includes the no-namespace one.
  const references = [...fileOf].map(([namespace, file]) =>
    namespace === undefined
      ? `<xs:include schemaLocation="${escapeAttribute(file)}"/>`
      : `<xs:import namespace="${escapeAttribute(namespace)}" schemaLocation="${escapeAttribute(file)}"/>`,
  );
  const main = { fileName: `${basename(wsdlPath)}.main.xsd`, contents: `<xs:schema xmlns:xs="${XSD}">${references.join('')}</xs:schema>` };
  return { main, files: files.map((s) => ({ fileName: s.fileName, contents: resolveImports(s, fileOf).contents })) };
}

/** xmllint quotes the offending value; values may be personal data (a name, a phone), so only names stay. */
const withoutValues = (message: string) =>
  message.replace(/'(?:[^'\\]|\\.)*' is not (a valid value|accepted)/g, 'the value is not $1').replace(/The value '[^']*'/g, 'The value');

// --- xmllint in one long-lived worker thread, elements checked in batches ---
// xmllint-wasm's validateXML starts a worker thread and compiles the WebAssembly module for every
// call: 300 ms to 1 s each on a busy 2-core machine, twice per SOAP call (request and reply). The
// sandbox's own worker (sandbox/xmllint-worker.mjs) compiles it once and takes any number of runs,
// one message each, one at a time. A run costs about 15 ms whatever it checks: libxml2 starts
// afresh (4 ms) and parses the WSDL's schemas (10–20 ms), then checks an element in under 1 ms.
// So the elements waiting for one set go in one run, as files of one command line: under load a
// run checks many, and the calls queue no longer (one run per element capped the SOAP doubles at
// a few dozen calls a second, and the 1,000-order chaos run's calls waited minutes behind each
// other; docs/reliability.md).
const XMLLINT_TAG = 'sandbox-xmllint';
const XMLLINT_WORKER = join(__dirname, 'xmllint-worker.mjs');
/** At most this many elements, and about this much XML, in one run (libxml2's memory is capped at 32 MB). */
const MAX_BATCH = 64;
const MAX_BATCH_CHARS = 1_000_000;

interface XmllintRun {
  exitCode: number;
  stderr: string;
}

let xmllint: Worker | undefined;

/** The worker never keeps the process alive: a test run or the sandbox ends without closing it. */
function startWorker(): Worker {
  const worker = new Worker(XMLLINT_WORKER);
  worker.unref();
  // A crash between runs: the next run starts a fresh worker.
  worker.on('error', () => retire(worker));
  return worker;
}

/** The next run starts a fresh worker. */
function retire(worker: Worker): void {
  if (xmllint === worker) xmllint = undefined;
  void worker.terminate();
}

function runOnce(files: XMLFileInfo[], args: string[]): Promise<XmllintRun> {
  const worker = (xmllint ??= startWorker());
  return new Promise<XmllintRun>((resolve, reject) => {
    const onMessage = (message: { [XMLLINT_TAG]?: boolean } & XmllintRun) => {
      if (message?.[XMLLINT_TAG] !== true) return;
      worker.off('error', onError);
      worker.off('message', onMessage);
      // An aborted run (exit -1): start afresh.
      if (message.exitCode === -1) return onError(new Error(`xmllint aborted: ${message.stderr}`));
      resolve({ exitCode: message.exitCode, stderr: message.stderr });
    };
    const onError = (err: Error) => {
      worker.off('message', onMessage);
      retire(worker);
      reject(err);
    };
    worker.on('message', onMessage).once('error', onError);
    worker.postMessage({ [XMLLINT_TAG]: true, inputFiles: files, args, initialMemory: 256, maxMemory: 512 });
  });
}

/** One element waiting to be checked against its set. */
interface Check {
  set: SchemaSet;
  xml: string;
  resolve(problems: string[]): void;
  reject(err: unknown): void;
}

const waiting: Check[] = [];
let running = false;

/** Validates one element (the SOAP Body's first child, serialized with its namespace declarations) against the set; returns the problems, [] when valid. */
export function validateBodyElement(set: SchemaSet, elementXml: string): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    waiting.push({ set, xml: elementXml, resolve, reject });
    void drain();
  });
}

/** Runs go one at a time: the checks waiting for the first one's set, in order, then the next set's. */
async function drain(): Promise<void> {
  if (running) return;
  running = true;
  try {
    while (waiting.length > 0) {
      const { set } = waiting[0];
      const batch: Check[] = [];
      let chars = 0;
      for (let i = 0; i < waiting.length && batch.length < MAX_BATCH;) {
        const check = waiting[i];
        if (check.set !== set || (batch.length > 0 && chars + check.xml.length > MAX_BATCH_CHARS)) {
          i += 1;
          continue;
        }
        batch.push(check);
        chars += check.xml.length;
        waiting.splice(i, 1);
      }
      await checkBatch(set, batch);
    }
  } finally {
    running = false;
  }
}

/** The file each element of a run is checked as, and what xmllint's stderr lines about it start with. */
const fileName = (index: number) => `body-${index}.xml`;
const FILE_LINE = /^body-(\d+)\.xml(?::\d+:| (?:validates|fails to validate)$)/;

async function checkBatch(set: SchemaSet, batch: Check[]): Promise<void> {
  try {
    const files = batch.map((check, i) => ({ fileName: fileName(i), contents: check.xml }));
    const args = ['--schema', set.main.fileName, '--noout', ...files.map((f) => f.fileName)];
    const { exitCode, stderr } = await runOnce([...files, set.main, ...set.files], args);
    const answers = answersOf(exitCode, stderr, batch.length);
    batch.forEach((check, i) => check.resolve(answers[i]));
  } catch (err) {
    for (const check of batch) check.reject(err);
  }
}

/** Each file's problems ([] when it validates): its own lines of stderr (a parser error's context lines follow its first), and any before the first file's. */
function answersOf(exitCode: number, stderr: string, count: number): string[][] {
  if (exitCode === 0) return Array.from({ length: count }, () => []);
  // 3: not well-formed, 4 (or 1): not valid; anything else is xmllint failing, not the elements.
  if (![1, 3, 4].includes(exitCode)) throw new Error(`xmllint exited with ${exitCode}: ${stderr}`);
  const preamble: string[] = [];
  const lines: string[][] = Array.from({ length: count }, () => []);
  const valid = new Set<number>();
  let current: string[] = preamble;
  for (const line of stderr.split('\n')) {
    const file = FILE_LINE.exec(line);
    if (file && Number(file[1]) < count) current = lines[Number(file[1])];
    if (file && line === `${fileName(Number(file[1]))} validates`) valid.add(Number(file[1]));
    current.push(line);
  }
  return lines.map((own, i) => {
    if (valid.has(i)) return [];
    const problems = [...preamble, ...own]
      .filter((line) => line.trim() !== '' && !/ (validates|fails to validate)$/.test(line))
      .map((line) => withoutValues(line.replace(/^body-\d+\.xml:\d+:\s*(Schemas validity error\s*:\s*)?/, '').trim()));
    return problems.length > 0 ? problems : ['invalid'];
  });
}

/** The SOAP Body's first child element, with the namespace declarations it inherits from Envelope and Body; undefined when there is none. */
export function bodyElementOf(envelopeXml: string): { name: string; xml: string } | undefined {
  const envelope = /<((?:[\w.-]+:)?)Envelope\b[^>]*>/.exec(envelopeXml);
  if (!envelope) return undefined;
  const p = envelope[1];
  const body = new RegExp(`<${p}Body\\b[^>]*>`).exec(envelopeXml);
  const close = envelopeXml.lastIndexOf(`</${p}Body>`);
  if (!body || close < body.index) return undefined;
  const inner = envelopeXml
    .slice(body.index + body[0].length, close)
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim();
  const child = /^<([\w.:-]+)[^>]*>/.exec(inner);
  if (!child) return undefined;
  const inherited = new Map([...declarationsOf(envelope[0]), ...declarationsOf(body[0])]);
  return { name: child[1], xml: withInherited(child[0], inherited) + inner.slice(child[0].length) };
}

const isFault = (name: string) => name.split(':').pop() === 'Fault';

/** A SOAP 1.1 Server fault for a reply the double must not send: its own bug, not the caller's. */
function sendDrift(res: Response, send: (body: string) => Response, problems: string[]): void {
  const text = `the sandbox's reply does not match the WSDL: ${problems.join('; ')}`.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  res.status(500).type('text/xml; charset=utf-8');
  send(
    `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_ENV}"><soap:Body><soap:Fault>` +
      `<faultcode>soap:Server</faultcode><faultstring>${text}</faultstring></soap:Fault></soap:Body></soap:Envelope>`,
  );
}

/** Express middleware for a SOAP double: validates each request's Body element (invalid → a SOAP Client fault naming the problem, via the existing sandbox/soap.ts helpers) and each reply's Body element before it is sent (invalid → 500 + error log, so a drifting double fails tests). */
export function wsdlGuard(options: { wsdl: string; xsd?: string[]; logger: Logger }): RequestHandler[] {
  const set = schemasOf(options.wsdl, options.xsd);
  const { logger } = options;
  const wsdl = basename(options.wsdl);

  const readText = express.text({ type: ['text/xml', 'application/xml', 'application/soap+xml'], limit: '256kb' });

  /** Holds back each XML reply until its Body element has been validated; faults and injected breakage pass as they are. */
  const checkReplies: RequestHandler = (req, res, next) => {
    const send = res.send.bind(res) as (body: string) => Response;
    res.send = ((body: unknown) => {
      const element = typeof body === 'string' && !isUncheckedReply(res) ? bodyElementOf(body) : undefined;
      if (!element || isFault(element.name)) return send(body as string);
      validateBodyElement(set, element.xml).then(
        (problems) => {
          if (problems.length === 0) return void send(body as string);
          logger.error({ wsdl, path: req.path, element: element.name, problems }, 'sandbox reply does not match the WSDL');
          sendDrift(res, send, problems);
        },
        (err: unknown) => {
          logger.error({ err, wsdl }, 'sandbox reply could not be validated');
          sendDrift(res, send, ['validation failed']);
        },
      );
      return res;
    }) as Response['send'];
    next();
  };

  /** A request whose Body element the WSDL does not allow is the caller's mistake. */
  const checkRequest: RequestHandler = (req, _res, next) => {
    const element = typeof req.body === 'string' ? bodyElementOf(req.body) : undefined;
    if (!element) return next(); // not an envelope: the double's own parsing answers it
    validateBodyElement(set, element.xml).then(
      (problems) => next(problems.length === 0 ? undefined : new InvalidSoapRequest(`${element.name}: ${problems.join('; ')}`)),
      next,
    );
  };

  return [readText, checkReplies, checkRequest];
}

/** What a SOAP double's one endpoint is made of: how a call names its operation, its fault plan, its WSDL, its answer. */
export interface SoapEndpoint<Operation extends string> {
  wsdl: string;
  logger: Logger;
  /** The operation a call names (a SOAP Client fault when it names none of the double's). */
  operationOf(req: Request): Operation;
  /** The carrier's fault plan for one operation (its dialect's injectFaults). */
  injectFaults(operation: Operation): RequestHandler;
  answer(req: Request, res: Response, operation: Operation): void;
}

/** A SOAP double's endpoint, in the order a carrier fails: the operation named, its faults drawn (a load balancer fails before the service reads anything), the WSDL guard both ways, then the answer. */
export function soapEndpoint<Operation extends string>(endpoint: SoapEndpoint<Operation>): RequestHandler[] {
  const operation = (res: Response) => res.locals.operation as Operation;
  return [
    (req, res, next) => {
      res.locals.operation = endpoint.operationOf(req);
      next();
    },
    (req, res, next) => endpoint.injectFaults(operation(res))(req, res, next),
    ...wsdlGuard({ wsdl: endpoint.wsdl, logger: endpoint.logger }),
    (req, res) => endpoint.answer(req, res, operation(res)),
  ];
}

/** One SOAP endpoint of a double whose operations share it, as a service with `SOAPAction ""` or Axis2's: the Body's element names the operation. */
export interface WsdlEndpoint<Operation extends string> {
  dialect: Pick<SoapDialect, 'envelopeOf' | 'injectFaults'>;
  /** The operations this endpoint serves: the Body's element names one, any other is the caller's mistake. */
  operations: readonly Operation[];
  faults: FaultPlan;
  wsdl: string;
  logger: Logger;
  answer(operation: Operation, req: Request, res: Response): void;
}

/** soapEndpoint for a service whose operation is the Body's element. */
export function wsdlEndpoint<Operation extends string>(endpoint: WsdlEndpoint<Operation>): RequestHandler[] {
  const { dialect, operations, faults } = endpoint;
  return soapEndpoint({
    wsdl: endpoint.wsdl,
    logger: endpoint.logger,
    operationOf(req) {
      const element = (Object.keys(dialect.envelopeOf(req))[0] ?? '').split(':').pop() ?? '';
      if ((operations as readonly string[]).includes(element)) return element as Operation;
      throw new InvalidSoapRequest(`no operation ${element || '(empty Body)'} in this service`);
    },
    injectFaults: (operation) => dialect.injectFaults(faults, operation),
    answer: (req, res, operation) => endpoint.answer(operation, req, res),
  });
}
