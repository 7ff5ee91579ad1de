/**
 * The host patterns of the `http` and `email` grants: `api.example.com` is that host exactly, `*.example.com`
 * any host below example.com (not example.com itself), and an `http` pattern may end in `:port`.
 * @module
 */

function splitPattern(pattern: string): { name: string; port: number | undefined } {
  const m = /^(.*?)(?::(\d{1,5}))?$/.exec(pattern.toLowerCase());
  return { name: m?.[1] ?? '', port: m?.[2] === undefined ? undefined : Number(m[2]) };
}

function nameMatches(patternName: string, name: string): boolean {
  if (patternName.startsWith('*.')) {
    const suffix = patternName.slice(1); // ".example.com"
    return name.length > suffix.length && name.endsWith(suffix);
  }
  return name === patternName;
}

/**
 * Whether `host:port` is covered by an `http` pattern. A pattern without a port covers only the scheme's default
 * port (80 for http, 443 for https), so a grant for a host never opens its other services.
 */
export function httpHostMatches(pattern: string, host: string, port: number, defaultPort: number): boolean {
  const p = splitPattern(pattern);
  return nameMatches(p.name, host.toLowerCase()) && port === (p.port ?? defaultPort);
}

/** Whether a recipient domain is covered by an `email` pattern (patterns with a port never match). */
export function emailDomainMatches(pattern: string, domain: string): boolean {
  const p = splitPattern(pattern);
  return p.port === undefined && nameMatches(p.name, domain.toLowerCase());
}
