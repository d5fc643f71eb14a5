// A stub carrier answering every SOAP call with a captured reply from a spec's examples folder
// (carriers/<carrier>/spec/examples/), keeping what it received: the carriers' published samples
// replayed through an adapter's parser, and the adapter's requests kept for the test to check.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyElementOf } from '../../sandbox/wsdl';

export interface ExampleReplies {
  baseUrl: string;
  received: Array<{ soapAction: string | undefined; body: string }>;
  close(): Promise<void>;
}

/** Serves `<dir>/<file>.xml` for each call, `file` chosen from the operation (the Body's element) and the body: `<operation>.response` unless given. */
export async function exampleReplies(
  dir: string,
  fileFor: (operation: string, body: string) => string = (operation) => `${operation}.response`,
): Promise<ExampleReplies> {
  const received: ExampleReplies['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ soapAction: req.headers.soapaction as string | undefined, body });
      const operation = bodyElementOf(body)?.name.split(':').pop() ?? '';
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(readFileSync(`${dir}/${fileFor(operation, body)}.xml`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
