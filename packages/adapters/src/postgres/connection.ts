/**
 * @module postgres/connection
 * The `pg` connection settings every Zekka connection gets — the store's pool and the migrator's single
 * client alike — so that both see the same schema.
 */

import type { ConnectionOptions } from 'node:tls';
import type { ClientConfig } from 'pg';

/** The schema used when none is given. */
export const DEFAULT_SCHEMA = 'public';

/**
 * Unquoted lower-case identifiers only. They need no quoting anywhere (the `options` startup parameter,
 * `search_path`, SQL), which keeps the schema name out of every escaping question.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Returns `schema` when it is a valid schema name for a store; throws otherwise. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `Invalid Postgres schema name "${schema}": use lower-case letters, digits and "_" (at most 63)`,
    );
  }
  return schema;
}

export interface ConnectionSettings {
  url: string;
  ssl?: boolean | ConnectionOptions;
  schema: string;
  /** Shown in `pg_stat_activity`; a `application_name` parameter in the URL takes precedence. */
  applicationName: string;
  connectionTimeoutMs: number;
  /** Omitted: no statement timeout (the migrator, whose statements may legitimately run long). */
  statementTimeoutMs?: number;
}

/**
 * The `pg` client config for `settings`. The schema goes on `search_path` through the startup packet's
 * `options` (`-c search_path=…`), so it holds on every connection from its first statement without an extra
 * round trip. `pg` lets the URL's parameters override the config object, so an `options` parameter already in
 * the URL is moved into the config and extended rather than left to replace the search path. SSL follows
 * `pg` exactly: `ssl` here, unless the URL carries `sslmode` (or `ssl`), which wins.
 */
export function clientConfig(settings: ConnectionSettings): ClientConfig {
  const { url, options } = takeUrlOptions(settings.url);
  const searchPath = `-c search_path=${checkSchemaName(settings.schema)}`;
  return {
    connectionString: url,
    ssl: settings.ssl,
    options: options === null ? searchPath : `${options} ${searchPath}`,
    application_name: settings.applicationName,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    // Lets the kernel notice a peer that vanished without closing the socket (a failed-over host).
    keepAlive: true,
  };
}

/** The URL without its `options` parameter, and that parameter's value (`null` when absent). */
function takeUrlOptions(url: string): { url: string; options: string | null } {
  if (!/[?&]options=/.test(url)) return { url, options: null };
  const parsed = new URL(url);
  const options = parsed.searchParams.get('options');
  parsed.searchParams.delete('options');
  return { url: parsed.toString(), options };
}
