import type { SandboxResponse } from '@pardot-x3/sandbox-kit';

/** A v4 result: the fields that go next to "@attributes" (e.g. {"prospect": {...}}). */
export type LegacyResult = Record<string, unknown>;

/** The v4 success envelope, as JSON (`format=json`) or as Pardot's XML. */
export function legacySuccess(result: LegacyResult, json: boolean): SandboxResponse {
  if (json) return { status: 200, body: { '@attributes': { stat: 'ok', version: 1 }, ...result } };
  return xml(
    200,
    `<rsp stat="ok" version="1.0">${Object.entries(result)
      .map(([k, v]) => element(k, v))
      .join('')}</rsp>`,
  );
}

/** The v4 failure envelope: {"@attributes":{"stat":"fail","version":1,"err_code":N},"err":"…"} or <rsp stat="fail">. */
export function legacyFailure(
  status: number,
  code: number,
  message: string,
  json: boolean,
  headers: Record<string, string> = {},
): SandboxResponse {
  if (json)
    return {
      status,
      headers,
      body: { '@attributes': { stat: 'fail', version: 1, err_code: code }, err: message },
    };
  return {
    ...xml(status, `<rsp stat="fail" version="1.0"><err code="${code}">${escapeXml(message)}</err></rsp>`),
    headers: { ...headers, 'content-type': 'text/xml; charset=utf-8' },
  };
}

function xml(status: number, inner: string): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${inner}\n`,
  };
}

function element(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (value === null || value === undefined) return `<${name}/>`;
  if (typeof value === 'object') {
    // {"@attributes": {...}, "#text": "…"} becomes <name a="…">…</name>, as Pardot's JSON mirrors its XML.
    const { '@attributes': attributes, '#text': text, ...children } = value as Record<string, unknown>;
    const attrs = Object.entries((attributes ?? {}) as Record<string, unknown>)
      .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
      .join('');
    const inner =
      text !== undefined
        ? escapeXml(String(text))
        : Object.entries(children)
            .map(([k, v]) => element(k, v))
            .join('');
    return `<${name}${attrs}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
