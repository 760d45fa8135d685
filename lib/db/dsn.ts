/** Parses the mysql:// DSNs of the configuration into connection options. */

export interface DsnParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** mysql://user:password@host:port/database → its parts (port defaults to 3306). */
export function parseMysqlDsn(dsn: string): DsnParts {
  const url = new URL(dsn);
  if (url.protocol !== 'mysql:') throw new Error(`not a mysql:// DSN: ${redactDsn(dsn)}`);
  const database = url.pathname.replace(/^\//, '');
  if (!database) throw new Error(`DSN names no database: ${redactDsn(dsn)}`);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
  };
}

/** The DSN with its password hidden, for messages and logs. */
export function redactDsn(dsn: string): string {
  return dsn.replace(/\/\/([^:@/]+):[^@]*@/, '//$1:***@');
}
