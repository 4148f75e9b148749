import * as http from 'http';
import type { AddressInfo } from 'net';

/**
 * A fake AWS endpoint on 127.0.0.1 for running the CLI as a real process: answers the Glue and Athena
 * (JSON 1.1, `X-Amz-Target`) and Lake Formation (REST JSON, path) calls the CLI makes, from canned data.
 * The CLI reaches it through `AWS_ENDPOINT_URL`; nothing leaves the machine.
 */
export interface FakeAws {
  readonly url: string;
  /** Every call received: `Service.Operation` and its JSON input. */
  readonly calls: { operation: string; input: any }[];
  close(): Promise<void>;
}

export type Handler = (input: any) => unknown;

export async function startFakeAws(handlers: Record<string, Handler>): Promise<FakeAws> {
  const calls: { operation: string; input: any }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      const operation = typeof target === 'string'
        ? target.replace(/^AWSGlue\./, 'Glue.').replace(/^AmazonAthena\./, 'Athena.')
        : `LakeFormation.${(req.url ?? '').replace(/^\//, '').split('?')[0]}`;
      const input = body ? JSON.parse(body) : {};
      calls.push({ operation, input });
      const handler = handlers[operation];
      if (!handler) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'UnknownOperationException' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `fake AWS has no ${operation}` }));
        return;
      }
      try {
        const out = handler(input);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(out ?? {}));
      } catch (e) {
        const err = e as { name: string; message: string };
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': err.name });
        res.end(JSON.stringify({ __type: err.name, message: err.message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Environment for a CLI process that talks only to the fake endpoint. */
export function fakeAwsEnv(url: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake',
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}
