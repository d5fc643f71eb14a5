// Checks the Aras spec: every .wsdl/.xsd/.xml here is well-formed (fast-xml-parser's XMLValidator), the WSDLs
// are complete (each portType operation has its messages, a binding with a SOAPAction, elements that exist),
// and each example request names an operation of a WSDL and sends its elements in the schema's order (.NET's
// XmlSerializer reads a sequence in order). The strings inside loginInfo/queryInfo are checked against
// aras-query-info.xsd's sequences the same way.
//   node carriers/aras/spec/check.mjs          exits 1 on the first class of problem found
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = [
  ...fs.readdirSync(here).filter((f) => /\.(wsdl|xsd)$/.test(f)),
  ...fs
    .readdirSync(path.join(here, 'examples'))
    .filter((f) => f.endsWith('.xml'))
    .map((f) => `examples/${f}`),
];
const problems = [];
const text = {};
for (const f of files) {
  text[f] = fs.readFileSync(path.join(here, f), 'utf8');
  const result = XMLValidator.validate(text[f]);
  if (result !== true) problems.push(`${f}: not well-formed: ${result.err.msg} (line ${result.err.line})`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`${files.length} files well-formed (fast-xml-parser XMLValidator)`);

// Parsed with prefixes removed and element order kept.
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, preserveOrder: true });
const doc = (xml) => parser.parse(xml);
const tagOf = (node) => Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '?xml' && k !== '#comment');
const children = (node) => node[tagOf(node)] ?? [];
const attrs = (node) => node[':@'] ?? {};
const elements = (nodes) => nodes.filter((n) => tagOf(n));
const find = (nodes, tag) => elements(nodes).filter((n) => tagOf(n) === tag);
function walk(nodes, visit) {
  for (const n of elements(nodes)) {
    visit(n);
    walk(children(n), visit);
  }
}

/** Every schema in a WSDL/XSD: top-level elements and named complex types, each as its ordered child element names. */
function schemaOf(nodes) {
  const elementsByName = {};
  const typesByName = {};
  const sequenceOf = (ct) => {
    const out = [];
    walk(children(ct), (n) => {
      if (tagOf(n) === 'element' && attrs(n)['@name']) out.push({ name: attrs(n)['@name'], type: attrs(n)['@type'] });
    });
    return out;
  };
  walk(nodes, (n) => {
    if (tagOf(n) === 'schema') {
      for (const child of elements(children(n))) {
        const name = attrs(child)['@name'];
        if (tagOf(child) === 'element') {
          const ct = find(children(child), 'complexType')[0];
          elementsByName[name] = ct ? sequenceOf(ct) : { type: attrs(child)['@type'] };
        }
        if (tagOf(child) === 'complexType') typesByName[name] = sequenceOf(child);
      }
    }
  });
  return { elementsByName, typesByName };
}

const wsdls = {};
for (const f of files.filter((x) => x.endsWith('.wsdl'))) {
  const nodes = doc(text[f]);
  const defs = find(nodes, 'definitions')[0];
  const top = children(defs);
  const messages = Object.fromEntries(
    find(top, 'message').map((m) => [attrs(m)['@name'], attrs(find(children(m), 'part')[0])['@element']?.replace(/^tns:/, '')]),
  );
  const schema = schemaOf(top);
  const operations = find(children(find(top, 'portType')[0]), 'operation').map((o) => attrs(o)['@name']);
  const actions = {};
  for (const b of find(top, 'binding'))
    for (const o of find(children(b), 'operation')) {
      const soapOp = find(children(o), 'operation')[0];
      (actions[attrs(o)['@name']] ??= []).push(attrs(soapOp)['@soapAction']);
    }
  for (const op of find(children(find(top, 'portType')[0]), 'operation')) {
    const name = attrs(op)['@name'];
    for (const io of ['input', 'output']) {
      const msg = attrs(find(children(op), io)[0])['@message']?.replace(/^tns:/, '');
      const element = messages[msg];
      if (!element) problems.push(`${f}: ${name} ${io}: message ${msg} missing`);
      else if (!schema.elementsByName[element]) problems.push(`${f}: ${name} ${io}: element ${element} missing`);
    }
    if (!actions[name]?.every((a) => a && a.endsWith(`/${name}`))) problems.push(`${f}: ${name}: binding or SOAPAction missing`);
  }
  // Every type a sequence refers to exists.
  for (const seq of [...Object.values(schema.elementsByName), ...Object.values(schema.typesByName)])
    for (const el of Array.isArray(seq) ? seq : [])
      if (
        el.type?.startsWith('tns:') &&
        !schema.typesByName[el.type.slice(4)] &&
        !text[f].includes(`simpleType name="${el.type.slice(4)}"`)
      )
        problems.push(`${f}: type ${el.type} of ${el.name} missing`);
  wsdls[f] = { schema, operations };
  console.log(`${f}: ${operations.join(', ')} — messages, elements, bindings, SOAPActions present`);
}
const xsd = schemaOf(doc(text['aras-query-info.xsd']));

/** Checks that an instance element's children come in the schema's order and are all known. */
function checkOrder(where, node, sequence, typesByName) {
  const names = sequence.map((s) => s.name);
  let last = -1;
  for (const child of elements(children(node))) {
    const tag = tagOf(child);
    const i = names.indexOf(tag);
    if (i < 0) problems.push(`${where}: <${tag}> is not in the schema (${names.join(', ')})`);
    else if (i < last) problems.push(`${where}: <${tag}> comes after <${names[last]}>, against the schema's order`);
    else {
      last = i;
      const type = sequence[i].type?.replace(/^tns:/, '');
      if (type && typesByName[type]) checkOrder(`${where}/${tag}`, child, typesByName[type], typesByName);
    }
  }
}

let checked = 0;
for (const f of files.filter((x) => x.startsWith('examples/') && !x.includes('.response'))) {
  const body = [];
  walk(doc(text[f]), (n) => tagOf(n) === 'Body' && body.push(n));
  const operationNode = elements(children(body[0]))[0];
  const op = tagOf(operationNode);
  const owner = Object.entries(wsdls).find(([, w]) => w.operations.includes(op));
  if (!owner) {
    problems.push(`${f}: operation ${op} is in no WSDL here`);
    continue;
  }
  const { schema } = owner[1];
  checkOrder(`${f} ${op}`, operationNode, schema.elementsByName[op], schema.typesByName);
  // The XML documents carried as strings.
  for (const param of elements(children(operationNode)).filter((n) => ['loginInfo', 'queryInfo'].includes(tagOf(n)))) {
    const inner = children(param).find((n) => '#text' in n)?.['#text'];
    const innerXml = String(inner).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const ok = XMLValidator.validate(innerXml);
    if (ok !== true) problems.push(`${f}: ${tagOf(param)} is not well-formed: ${ok.err.msg}`);
    const root = elements(doc(innerXml))[0];
    checkOrder(`${f} ${tagOf(param)}`, root, xsd.elementsByName[tagOf(root)], xsd.typesByName);
  }
  checked++;
}
console.log(`${checked} example requests: operations known, elements in schema order`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
