/**
 * A tiny INI reader/writer for odoo.conf, which Odoo reads with Python's RawConfigParser:
 * `[section]` headers, `key = value` (or `key: value`) lines, `#`/`;` comment lines, and
 * indented continuation lines. Ordo writes the file itself, so comments are not kept.
 */

/** Sections in file order, each with its keys in file order. */
export type IniDocument = Map<string, Map<string, string>>;

export class IniSyntaxError extends Error {
  override readonly name = 'IniSyntaxError';
}

export function parseIni(text: string): IniDocument {
  const document: IniDocument = new Map();
  let section: Map<string, string> | null = null;
  let lastKey: string | null = null;

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trimEnd();
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      lastKey = null;
      return;
    }
    if (/^\s/.test(line) && section !== null && lastKey !== null) {
      section.set(lastKey, `${section.get(lastKey) ?? ''}\n${trimmed}`);
      return;
    }
    const header = /^\[([^\]]+)\]$/.exec(trimmed);
    if (header?.[1]) {
      const name = header[1].trim();
      section = document.get(name) ?? new Map<string, string>();
      document.set(name, section);
      lastKey = null;
      return;
    }
    const entry = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (!entry?.[1] || section === null) {
      throw new IniSyntaxError(`line ${index + 1}: expected "[section]" or "key = value"`);
    }
    // RawConfigParser lower-cases keys.
    lastKey = entry[1].toLowerCase();
    section.set(lastKey, entry[2] ?? '');
  });
  return document;
}

export function formatIni(document: IniDocument): string {
  const parts: string[] = [];
  for (const [name, entries] of document) {
    const lines = [`[${name}]`];
    for (const [key, value] of entries) {
      if (/[\r\n]/.test(value) || /[\r\n=:[\]]/.test(key)) {
        throw new IniSyntaxError(`cannot write ${key}: keys and values must be single lines`);
      }
      lines.push(`${key} = ${value}`);
    }
    parts.push(lines.join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
