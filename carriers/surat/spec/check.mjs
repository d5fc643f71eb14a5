// Checks SuratServices.wsdl: node carriers/surat/spec/check.mjs
// - the file is well-formed XML (fast-xml-parser's XMLValidator);
// - the WSDL is consistent: each message part names a declared element, each tns: type reference resolves, and
//   each portType operation has a binding operation whose soapAction is http://tempuri.org/<operation>.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const here = path.dirname(fileURLToPath(import.meta.url));
const text = fs.readFileSync(path.join(here, 'SuratServices.wsdl'), 'utf8');

function fail(problems) {
  problems.forEach((p) => console.error(p));
  process.exit(1);
}

const verdict = XMLValidator.validate(text);
if (verdict !== true) fail([`SuratServices.wsdl: not well-formed: ${JSON.stringify(verdict.err)}`]);
console.log('1 file well-formed');

const lists = ['element', 'complexType', 'message', 'operation'];
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  isArray: (name, _jpath, _isLeaf, isAttribute) => !isAttribute && lists.includes(name),
});
const wsdl = parser.parse(text).definitions;
const local = (qname) => (qname ?? '').split(':').pop();
const schema = wsdl.types.schema;
const elements = new Set(schema.element.map((e) => e.name));
const types = new Set(schema.complexType.map((t) => t.name));

// Every type reference of the form tns:X, anywhere in the schema.
const problems = [];
const walk = (node) => {
  if (Array.isArray(node)) return node.forEach(walk);
  if (!node || typeof node !== 'object') return;
  if (typeof node.type === 'string' && node.type.startsWith('tns:') && !types.has(local(node.type)))
    problems.push(`type ${node.type} is not declared`);
  Object.values(node).forEach(walk);
};
walk(schema);
for (const message of wsdl.message) {
  if (!elements.has(local(message.part.element))) problems.push(`message ${message.name}: element ${message.part.element} is not declared`);
}
const bound = new Map(wsdl.binding.operation.map((o) => [o.name, o.operation?.[0]?.soapAction]));
for (const op of wsdl.portType.operation) {
  if (bound.get(op.name) !== `http://tempuri.org/${op.name}`) problems.push(`operation ${op.name}: no binding with its soapAction`);
}
if (problems.length) fail(problems);
console.log(
  `WSDL consistent: ${wsdl.portType.operation.length} operations, ${types.size} types, ${elements.size} elements, every reference resolves`,
);
