/**
 * @module client-ip
 * Where a request comes from, for rate limits and for the sessions list. Behind a reverse proxy the
 * socket address is the proxy's; `X-Forwarded-For` is only believed when the operator says a proxy sets it
 * (`TRUST_PROXY`), because any client can send the header.
 */

/** What the client-IP lookup needs from the server (Bun's `Server` has it). */
export interface SocketAddressSource {
  requestIP(request: Request): { address: string } | null;
}

/** Returns the client's IP address, or `null` when it is unknown (e.g. in-process `app.handle`). */
export type ClientIpResolver = (
  request: Request,
  server: SocketAddressSource | null | undefined,
) => string | null;

const MAX_IP_LENGTH = 64;

/**
 * @param trustProxy - take the first hop of `X-Forwarded-For` when present. @default false
 */
export function createClientIpResolver(trustProxy = false): ClientIpResolver {
  return function clientIp(request, server) {
    if (trustProxy) {
      const forwarded = request.headers.get('x-forwarded-for');
      if (forwarded !== null) {
        const first = forwarded.split(',', 1)[0]?.trim() ?? '';
        if (first !== '' && first.length <= MAX_IP_LENGTH) return first;
      }
    }
    return server?.requestIP(request)?.address ?? null;
  };
}

const MAX_USER_AGENT_LENGTH = 512;

/** The `ClientInfo` core stores on sessions: the IP and a bounded `User-Agent`. */
export function clientInfoFor(
  clientIp: ClientIpResolver,
  request: Request,
  server: SocketAddressSource | null | undefined,
): { ip: string | null; userAgent: string | null } {
  return {
    ip: clientIp(request, server),
    userAgent: request.headers.get('user-agent')?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
  };
}
