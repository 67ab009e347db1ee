/**
 * Every answer the run reads is capped in size and in time: a service (or whatever answers in its place) can send
 * a body larger than memory, or one byte a second forever. Reading stops at the cap and the answer is unusable.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { Readable as NodeReadable } from 'node:stream';

/** Caps per service: each far above the largest real answer (a full page of role assignments is under 1 MB). */
export const BODY_LIMITS = {
  arm: 8 * 1024 * 1024,
  dataPlane: 1024 * 1024,
  entra: 1024 * 1024,
  githubOidc: 256 * 1024,
  /** A page of 100 pull-request comments at GitHub's 65,536-character limit each is about 6.5 MB. */
  githubRest: 8 * 1024 * 1024,
} as const;

class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  readonly code = 'RESPONSE_TOO_LARGE';
  constructor(limit: number) {
    super(`the answer was larger than ${Math.round(limit / 1024)} KiB and was not read`);
  }
}

class ResponseTooSlowError extends Error {
  override readonly name = 'ResponseTooSlowError';
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`the answer's body did not arrive within ${Math.round(ms / 1000)} s`);
  }
}

interface Readable extends AsyncIterable<unknown> {
  destroy?(error?: Error): void;
}

/** An AbortSignal, or the Azure SDK's AbortSignalLike. */
interface SignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * Reads a body up to `limit` bytes and `timeoutMs`, whichever comes first; over either, the stream is destroyed
 * and the read fails. A declared Content-Length over the cap fails before reading anything.
 */
export async function readCapped(
  stream: Readable,
  options: { readonly limit: number; readonly timeoutMs: number; readonly contentLength?: string | null; readonly signal?: SignalLike },
): Promise<string> {
  const { limit, timeoutMs } = options;
  const declared = Number(options.contentLength ?? NaN);
  if (declared > limit) {
    stream.destroy?.();
    throw new ResponseTooLargeError(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    stream.destroy?.(error);
  };
  const timer = setTimeout(() => fail(new ResponseTooSlowError(timeoutMs)), timeoutMs);
  const onAbort = (): void => fail(new Error('the request was aborted while its answer was read'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buffer.length;
      if (size > limit) {
        fail(new ResponseTooLargeError(limit));
        break;
      }
      chunks.push(buffer);
    }
  } catch (error) {
    throw failure ?? error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure;
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The cap as an Azure pipeline policy: placed last, next to the HTTP client, it asks for every body as a stream
 * and reads it itself, so the policies above it (deserialisation, retries, the SDK's pagers) see a body only
 * when it fitted. The request's own timeout bounds the body too; the HTTP client's covers only the headers.
 */
export function boundedBodyPolicy(limit: number, defaultTimeoutMs: number): PipelinePolicy {
  return {
    name: 'boundedBodyPolicy',
    async sendRequest(request, next) {
      // A caller that streams on purpose reads its own body; this run has none.
      if (request.streamResponseStatusCodes !== undefined) return next(request);
      request.streamResponseStatusCodes = new Set([Number.POSITIVE_INFINITY]);
      const started = Date.now();
      try {
        const response = await next(request);
        const stream = response.readableStreamBody;
        if (stream === undefined) return response;
        response.readableStreamBody = undefined;
        const timeoutMs = Math.max(1, (request.timeout > 0 ? request.timeout : defaultTimeoutMs) - (Date.now() - started));
        response.bodyAsText = await readCapped(stream, {
          limit,
          timeoutMs,
          contentLength: response.headers.get('content-length'),
          signal: request.abortSignal,
        });
        return response;
      } finally {
        request.streamResponseStatusCodes = undefined;
      }
    },
  };
}

/** Statuses whose answers have no body, which a rebuilt Response may not be given even empty. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * The cap for a fetch function (Octokit's): the body is read here, up to the limit and the time, and handed on as
 * an answer already in memory, so the client above never reads more than the cap.
 */
export function boundedFetch(inner: typeof fetch, limit: number, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.body === null) return response;
    const text = await readCapped(NodeReadable.fromWeb(response.body), {
      limit,
      timeoutMs,
      contentLength: response.headers.get('content-length'),
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    const headers = new Headers(response.headers);
    // The body is now plain text of a known length: the transfer's own framing no longer describes it.
    for (const name of ['content-length', 'content-encoding', 'transfer-encoding']) headers.delete(name);
    return new Response(NULL_BODY.has(response.status) ? null : text, { status: response.status, statusText: response.statusText, headers });
  };
}
