import { AthenaClient } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import { MeshClient, MeshClientOptions } from '../../lib/client';

/** A clock that only moves when the client sleeps, recording every sleep. */
export interface FakeClock {
  readonly sleeps: number[];
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function fakeClock(start = 1_000_000): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** Real SDK clients (never reaching AWS) with their `send` replaced by aws-sdk-client-mock. */
export function mockedClients() {
  const glueClient = new GlueClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const lfClient = new LakeFormationClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const athenaClient = new AthenaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  return {
    glueClient, lfClient, athenaClient,
    glue: mockClient(glueClient),
    lf: mockClient(lfClient),
    athena: mockClient(athenaClient),
  };
}

export function meshClient(clients: ReturnType<typeof mockedClients>, clock: FakeClock, options: MeshClientOptions = {}): MeshClient {
  return new MeshClient({
    glue: clients.glueClient,
    lakeFormation: clients.lfClient,
    athena: clients.athenaClient,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    ...options,
  });
}

/** The inputs of every call of one command, in call order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function inputs(stub: AwsStub<any, any, any>, command: any): unknown[] {
  return stub.commandCalls(command).map((c) => c.args[0].input);
}
