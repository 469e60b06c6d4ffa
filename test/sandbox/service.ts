// The contract between the sandbox's HTTP server and each imitated AWS service.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KnobState } from './knobs';
import type { SandboxState } from './state';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: Buffer;
  state: SandboxState;
  knobs: KnobState;
  /** http://127.0.0.1:PORT, what clients were told to use as the endpoint. */
  baseUrl: string;
  requestId: string;
}

export interface Service {
  name: string;
  /** The operation this request asks for (e.g. "sts:AssumeRole"), or undefined when the request is not for this service. */
  operationOf(ctx: RequestContext): string | undefined;
  handle(ctx: RequestContext, operation: string): Promise<void> | void;
  /** Answers with the service's own throttling error (STS: Throttling; SSO: TooManyRequestsException). */
  sendThrottled(ctx: RequestContext, operation: string): void;
  /** Answers with the service's own 5xx error. */
  sendServerError(ctx: RequestContext, status: 500 | 503): void;
}

export function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body).toString(), ...headers });
  res.end(body);
}
