// Checks ShippingOrderDispatcherServices.wsdl and examples/*.xml:
//   node carriers/yurtici/spec/check.mjs
// - every file is well-formed XML (fast-xml-parser's XMLValidator);
// - the WSDL is consistent: each message part names a declared element, each element and type reference resolves,
//   each portType operation has a binding operation with its soapAction;
// - each example's Body element is read against the WSDL's types: an element the type does not declare fails the
//   check (exit 1); what only departs from the schema (sequence order, a repeated non-list element, a required
//   element missing, a value that is not of its XML type) is listed, not failed: the examples are the public
//   sources' samples, and README.md ("The examples against the WSDL") says what the departures mean.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const here = path.dirname(fileURLToPath(import.meta.url));
const WSDL = path.join(here, 'ShippingOrderDispatcherServices.wsdl');
const EXAMPLES = path.join(here, 'examples');
const problems = [];

// --- well-formed ---
const files = [
  WSDL,
  ...fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => path.join(EXAMPLES, f)),
];
for (const file of files) {
  const verdict = XMLValidator.validate(fs.readFileSync(file, 'utf8'));
  if (verdict !== true) problems.push(`${path.relative(here, file)}: not well-formed: ${JSON.stringify(verdict.err)}`);
}
if (problems.length) {
  problems.forEach((p) => console.error(p));
  process.exit(1);
}
console.log(`${files.length} files well-formed`);

// --- the WSDL's types (names without prefixes; one service namespace, one exceptions namespace) ---
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  isArray: (name, jpath, isLeaf, isAttribute) =>
    !isAttribute && ['schema', 'complexType', 'element', 'sequence', 'message', 'operation', 'port'].includes(name),
});
const wsdl = parser.parse(fs.readFileSync(WSDL, 'utf8')).definitions;
const local = (qname) => (qname ?? '').split(':').pop();
const XS = new Set(['string', 'int', 'long', 'double', 'boolean', 'anyType']);

const types = new Map(); // name -> { base, elements: [{ name, type, min, max }] }
const elements = new Map(); // global element -> type
for (const schema of wsdl.types.schema) {
  for (const el of schema.element ?? []) elements.set(el.name, local(el.type));
  for (const ct of schema.complexType ?? []) {
    const ext = ct.complexContent?.extension;
    const seq = (ext ?? ct).sequence?.[0]?.element ?? [];
    types.set(ct.name, {
      base: ext ? local(ext.base) : undefined,
      elements: seq.map((e) => ({ name: e.name, type: local(e.type), min: Number(e.minOccurs ?? 1), max: e.maxOccurs ?? '1' })),
    });
  }
}
/** A type's elements in document order, its base type's first. */
const sequenceOf = (name) => {
  const t = types.get(name);
  return t ? [...(t.base ? sequenceOf(t.base) : []), ...t.elements] : [];
};

for (const [name, t] of types) {
  for (const ref of [t.base, ...t.elements.map((e) => e.type)].filter(Boolean)) {
    if (!XS.has(ref) && !types.has(ref)) problems.push(`WSDL: type ${name} refers to undeclared type ${ref}`);
  }
}
for (const [name, type] of elements)
  if (!XS.has(type) && !types.has(type)) problems.push(`WSDL: element ${name} has undeclared type ${type}`);
const messages = new Map(wsdl.message.map((m) => [m.name, local(m.part.element)]));
for (const [name, el] of messages) if (!elements.has(el)) problems.push(`WSDL: message ${name} names undeclared element ${el}`);
const bound = new Map(wsdl.binding.operation.map((o) => [o.name, o.operation?.[0]?.soapAction])); // soap:operation inside
const operations = wsdl.portType.operation.map((o) => ({
  name: o.name,
  input: messages.get(local(o.input.message)),
  output: messages.get(local(o.output.message)),
}));
for (const op of operations) {
  if (!bound.has(op.name)) problems.push(`WSDL: operation ${op.name} has no binding`);
  for (const el of [op.input, op.output]) if (!el) problems.push(`WSDL: operation ${op.name} names an undeclared message`);
}
if (problems.length) {
  problems.forEach((p) => console.error(p));
  process.exit(1);
}
console.log(
  `WSDL consistent: ${operations.length} operations (${operations.map((o) => `${o.name} soapAction "${bound.get(o.name)}"`).join(', ')}), ` +
    `${types.size} types, every reference resolves`,
);

// --- the examples against the types ---
const ordered = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  preserveOrder: true,
  parseTagValue: false,
  commentPropName: '#comment',
});
const childrenOf = (node) => node.filter((n) => !('#text' in n) && !('#comment' in n));
const nameOf = (n) => Object.keys(n).find((k) => k !== ':@');
const textOf = (n) =>
  n[nameOf(n)]
    .filter((c) => '#text' in c)
    .map((c) => c['#text'])
    .join('');
const VALUE = {
  int: /^-?\d+$/,
  long: /^-?\d+$/,
  double: /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/,
  boolean: /^(true|false|0|1)$/,
};

let failed = 0;
const notes = [];
function readAgainst(typeName, nodes, where, file) {
  const seq = sequenceOf(typeName);
  let last = -1;
  const seen = new Map();
  for (const child of childrenOf(nodes)) {
    const name = nameOf(child);
    const at = seq.findIndex((e) => e.name === name);
    if (at < 0) {
      failed += 1;
      console.error(`${file}: ${where}/${name}: not an element of ${typeName}`);
      continue;
    }
    const decl = seq[at];
    if (at < last) notes.push(`${file}: ${where}/${name} comes after ${seq[last].name} (sequence order of ${typeName})`);
    last = Math.max(last, at);
    seen.set(name, (seen.get(name) ?? 0) + 1);
    if (seen.get(name) === 2 && decl.max !== 'unbounded') notes.push(`${file}: ${where}/${name} repeated, maxOccurs 1`);
    if (types.has(decl.type)) readAgainst(decl.type, child[name], `${where}/${name}`, file);
    else if (VALUE[decl.type]) {
      const text = textOf(child).trim();
      if (!VALUE[decl.type].test(text)) notes.push(`${file}: ${where}/${name} "${text}" is not an xs:${decl.type}`);
    }
  }
  for (const decl of seq)
    if (decl.min > 0 && !seen.has(decl.name)) notes.push(`${file}: ${where}: required ${decl.name} (xs:${decl.type}) absent`);
}

const examples = files.slice(1);
for (const file of examples) {
  const rel = path.relative(here, file);
  const doc = ordered.parse(fs.readFileSync(file, 'utf8'));
  const envelope = doc.find((n) => nameOf(n) === 'Envelope');
  const body = envelope && childrenOf(envelope.Envelope).find((n) => nameOf(n) === 'Body');
  const payload = body && childrenOf(body.Body)[0];
  const element = payload && nameOf(payload);
  if (!element || !elements.has(element)) {
    failed += 1;
    console.error(`${rel}: the Body holds no element the WSDL declares (${element ?? 'nothing'})`);
    continue;
  }
  readAgainst(elements.get(element), payload[element], element, rel);
}
console.log(`${examples.length} examples read against the WSDL: ${failed ? `${failed} undeclared elements` : 'every element declared'}`);
if (notes.length) {
  console.log(`${notes.length} departures from the schema (listed, not failed):`);
  notes.forEach((n) => console.log(`  ${n}`));
}
process.exit(failed ? 1 : 0);
