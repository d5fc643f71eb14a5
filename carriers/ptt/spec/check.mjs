// Checks the PTT spec: every .wsdl and example here is well-formed (fast-xml-parser's XMLValidator); each WSDL is
// complete (every message names a declared element, every element and type reference resolves, every portType
// operation is bound with a SOAPAction urn:<operation>); each example's Body element is one the WSDLs declare.
// test/carriers/ptt.test.ts validates the examples against the schemas themselves (xmllint).
//   node carriers/ptt/spec/check.mjs          exits 1 on the first class of problem found
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const here = path.dirname(fileURLToPath(import.meta.url));
const wsdls = fs.readdirSync(here).filter((f) => f.endsWith('.wsdl'));
const examples = fs
  .readdirSync(path.join(here, 'examples'))
  .filter((f) => f.endsWith('.xml'))
  .map((f) => `examples/${f}`);
const text = Object.fromEntries([...wsdls, ...examples].map((f) => [f, fs.readFileSync(path.join(here, f), 'utf8')]));

function fail(problems) {
  if (problems.length === 0) return;
  console.error(problems.join('\n'));
  process.exit(1);
}

fail(
  Object.entries(text).flatMap(([f, xml]) => {
    const result = XMLValidator.validate(xml);
    return result === true ? [] : [`${f}: not well-formed: ${result.err.msg} (line ${result.err.line})`];
  }),
);
console.log(`${Object.keys(text).length} files well-formed (fast-xml-parser XMLValidator)`);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  isArray: (name, jpath, isLeaf, isAttribute) =>
    !isAttribute && ['schema', 'complexType', 'element', 'message', 'operation', 'port'].includes(name),
});
const local = (qname) => (qname ?? '').split(':').pop();
const XS = new Set(['string', 'int', 'double', 'boolean']);
const declared = new Set();
const problems = [];

for (const file of wsdls) {
  const wsdl = parser.parse(text[file]).definitions;
  const types = new Set(wsdl.types.schema.flatMap((s) => (s.complexType ?? []).map((t) => t.name)));
  const globals = new Set(wsdl.types.schema.flatMap((s) => (s.element ?? []).map((e) => e.name)));
  globals.forEach((name) => declared.add(name));
  const references = (node) =>
    Array.isArray(node)
      ? node.flatMap(references)
      : node && typeof node === 'object'
        ? [...(node.type ? [local(node.type)] : []), ...Object.values(node).flatMap(references)]
        : [];
  for (const ref of references(wsdl.types)) if (!XS.has(ref) && !types.has(ref)) problems.push(`${file}: undeclared type ${ref}`);
  const messages = new Map(wsdl.message.map((m) => [m.name, local(m.part.element)]));
  for (const [name, element] of messages) if (!globals.has(element)) problems.push(`${file}: message ${name} names undeclared ${element}`);
  const bound = new Map(wsdl.binding.operation.map((o) => [o.name, o.operation?.[0]?.soapAction]));
  for (const op of wsdl.portType.operation) {
    if (bound.get(op.name) !== `urn:${op.name}`) problems.push(`${file}: ${op.name} is not bound with SOAPAction urn:${op.name}`);
    for (const io of [op.input, op.output]) if (!messages.has(local(io.message))) problems.push(`${file}: ${op.name}: undeclared message`);
  }
  console.log(`${file}: ${wsdl.portType.operation.map((o) => o.name).join(', ')}: messages, elements, types, bindings present`);
}
fail(problems);

const ordered = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true });
for (const file of examples) {
  const body = ordered.parse(text[file]).Envelope?.Body ?? {};
  const element = Object.keys(body)[0];
  if (!declared.has(element)) problems.push(`${file}: the Body holds ${element ?? 'nothing'}, which no WSDL here declares`);
}
fail(problems);
console.log(`${examples.length} examples: each Body element declared by a WSDL`);
